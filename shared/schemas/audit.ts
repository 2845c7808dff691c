/**
 * `validators/{hotkey}/epoch={N}/audit/facts.json`: everything a validator's report was derived from that
 * is not public elsewhere, so anyone can re-derive the report (`shared/audit/`, `deno task verify`):
 *
 * - the epoch's facts as the validator held them: the assignment (signed by the API), the revealed seed
 *   (checked against the assignment's commitment), the server receipts, the metagraph's miners, validators,
 *   stakes and owner uid, and the knobs that decide verdicts (`params`);
 * - its findings per miner (integrity and data checks over the miner's files, which anyone can recompute
 *   from the files once the validation window has closed), the copy verdicts;
 * - which published evidence it merged (each file's SHA-256 over its parsed entries), and the disputed
 *   listings it re-fetched just before merging (those results are in no evidence file).
 * @module
 */
import { z } from "zod";
import { HotkeySchema, Sha256Schema } from "./common.ts";
import { EvidenceEntrySchema } from "./evidence.ts";
import { CheckResultSchema } from "./report.ts";
import { AssignmentResponseSchema, SubmissionReceiptSchema } from "./zipcode_assignments.ts";

const count = z.number().int().min(0);
const fixed = count.max(1_000_000);

/** The knobs a verdict depends on; every honest validator runs the protocol's values. */
export const AuditParamsSchema = z.object({
  EPOCH_SECONDS: count,
  UPLOAD_LEAD_SECONDS: count,
  SPOT_CHECK_COUNT: count,
  SPOT_CHECK_EXTRA: count,
  MIN_CONCLUSIVE_CHECKS: count,
  COPY_MIN_SHARED_PERCENT: count,
  SCORE_SPEED_PERCENT: count,
  SCORE_QUALITY_PERCENT: count,
  SCORE_VOLUME_PERCENT: count,
  TOP_SHARES: z.array(count),
  PARTICIPATION_POOL_PERCENT: count,
  BURN_PERCENT: count,
  MAX_MINER_FILES: count,
  UPLOAD_ROWS_FACTOR: count,
  MAX_ROW_BYTES: count,
  MAX_MINER_FILE_BYTES: count,
});
export type AuditParams = z.infer<typeof AuditParamsSchema>;

/** One miner's findings: integrity and data checks (`validator/judge.ts` `MinerFindings` without paths). */
export const AuditFindingSchema = z.object({
  hotkey: HotkeySchema,
  uid: z.number().int(),
  zeroReason: z.string().nullable(),
  manifestSha256: Sha256Schema.nullable(),
  integrity: z.array(CheckResultSchema),
  checks: z.object({
    checks: z.array(CheckResultSchema.extend({ fatal: z.boolean(), detail: z.string() })),
    counts: z.object({
      rows: count,
      uniqueListings: count,
      duplicates: count,
      perZipcode: z.record(z.string(), count),
      forSalePerZipcode: z.record(z.string(), count).optional(),
    }),
    quality: z.object({ completeness: fixed, plausibility: fixed }),
    zpids: z.array(z.string()),
    perFile: z.array(z.object({ key: z.string(), zipcode: z.string(), listings: count, forSale: count }))
      .optional(),
    zeroReason: z.string().nullable(),
  }).nullable(),
  /** The receipt (ms) each data file is credited to (`shared/parts.ts`), by key; absent: the manifest's. */
  fileReceivedAtMs: z.record(z.string(), count).optional(),
  notJudged: z.string().nullable().optional(),
});
export type AuditFinding = z.infer<typeof AuditFindingSchema>;

/** `audit/facts.json`. */
export const AuditFactsSchema = z.object({
  version: z.literal(1),
  epochId: z.string(),
  validatorHotkey: HotkeySchema,
  assignment: AssignmentResponseSchema,
  seed: z.string(),
  receipts: z.array(SubmissionReceiptSchema),
  /** Receipts of part manifests (`shared/parts.ts`). */
  partReceipts: z.array(SubmissionReceiptSchema).optional(),
  miners: z.array(z.object({ hotkey: HotkeySchema, uid: z.number().int() })),
  validators: z.array(HotkeySchema),
  validatorStakes: z.record(z.string(), z.number()),
  ownerUid: z.number().int().nullable(),
  params: AuditParamsSchema,
  findings: z.array(AuditFindingSchema),
  /** Copy verdicts (`shared/copies.ts`) by miner hotkey. */
  copies: z.record(z.string(), z.string()),
  /** SHA-256 (canonical JSON) of the own evidence merged: what `evidence/spot_checks.json` must hold. */
  ownEvidenceSha256: Sha256Schema,
  /** Conclusive outcomes of the disputed listings re-fetched before merging (agreement rule 4). */
  rechecks: z.array(EvidenceEntrySchema),
  /** The other validators whose published evidence was merged, with its stake and its entries' hash. */
  merged: z.array(z.object({ validator: HotkeySchema, stake: z.number(), sha256: Sha256Schema })),
});
export type AuditFacts = z.infer<typeof AuditFactsSchema>;

/** Largest `audit/facts.json` read (the findings hold every miner's zpids). */
export const MAX_AUDIT_FACTS_BYTES = 64 * 1024 * 1024;
