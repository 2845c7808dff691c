/**
 * The validation report a validator publishes for each judged epoch (`validation_report.json`) and the
 * epoch metadata beside it. Scores are integer fixed point (`shared/fixed_point.ts`, SCALE = 1e6) so every
 * validator's report for the same data is byte-identical apart from its own identity and timestamps.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, IsoTimeSchema, Sha256Schema, ZipcodeSchema } from "./common.ts";

const fixed = z.number().int().min(0).max(1_000_000);

/** Outcome of one spot check. */
export const SpotCheckOutcomeSchema = z.enum(["valid", "invalid", "unknown"]);

/** One named check on a miner's upload. */
export const CheckResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** Everything a validator concluded about one miner. */
export const MinerVerdictSchema = z.object({
  hotkey: HotkeySchema,
  uid: z.number().int().nullable(),
  submittedAt: IsoTimeSchema.nullable(),
  manifestSha256: Sha256Schema.nullable(),
  checks: z.array(CheckResultSchema),
  counts: z.object({
    rows: z.number().int(),
    uniqueListings: z.number().int(),
    duplicates: z.number().int(),
    perZipcode: z.record(ZipcodeSchema, z.number().int()),
    /** The listings for sale per ZIP (FOR_SALE_STATUSES): what volume, speed and calibration count. */
    forSalePerZipcode: z.record(ZipcodeSchema, z.number().int()).optional(),
  }),
  spotChecks: z.array(z.object({
    zpid: z.string(),
    outcome: SpotCheckOutcomeSchema,
    reason: z.string().optional(),
  })),
  components: z.object({ speed: fixed, quality: fixed, volume: fixed }),
  score: fixed,
  rank: z.number().int().nullable(),
  weight: fixed,
  /** Why the score is 0, when it is. */
  reason: z.string().nullable(),
  /**
   * Whose failure a 0 is: `input` (the miner's upload is bad; every validator finds the same reason) or
   * `not_judged` (this validator could not judge: its own disk, S3, a fault; no weight, never a cheat).
   */
  failure: z.enum(["input", "not_judged"]).nullable().optional(),
});
export type MinerVerdict = z.infer<typeof MinerVerdictSchema>;

/** `validation_report.json`. */
export const ValidationReportSchema = z.object({
  version: z.literal(1),
  epochId: EpochIdSchema,
  validatorHotkey: HotkeySchema,
  generatedAt: IsoTimeSchema,
  seed: z.string(),
  seedCommitment: Sha256Schema,
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number())])),
  miners: z.array(MinerVerdictSchema),
  weights: z.record(HotkeySchema, fixed),
  /** The share burned to the subnet owner's uid, when BURN_PERCENT > 0 and the owner is known. */
  burn: z.object({ uid: z.number().int(), weight: fixed }).nullable(),
  evidenceSha256: z.array(Sha256Schema),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

/** `epoch_metadata.json`: the facts of the judged epoch. */
export const EpochMetadataSchema = z.object({
  epochId: EpochIdSchema,
  validatorHotkey: HotkeySchema,
  zipcodes: z.array(ZipcodeSchema),
  expectedListings: z.number().int(),
  validatedListings: z.number().int(),
  winners: z.array(z.object({ hotkey: HotkeySchema, rank: z.number().int(), weight: fixed })),
  publishedAt: IsoTimeSchema,
});
