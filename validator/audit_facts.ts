/**
 * What a validator publishes so anyone can re-derive its report (`audit/facts.json`,
 * `shared/schemas/audit.ts`), and its own check before publishing: the report and facts, exactly as they
 * will be uploaded, together with the evidence already published, must re-derive through the same
 * `shared/audit/audit.ts` that `deno task verify` runs. A report that does not is a bug, not a verdict: it
 * is logged, counted (`zipmine_validator_self_audit_total{outcome="failed"}`) and never published.
 * @module
 */
import type { EvidenceEntry, ValidatorEvidence } from "../shared/agreement.ts";
import { auditValidator } from "../shared/audit/audit.ts";
import { canonicalJson, canonicalSha256 } from "../shared/canonical_json.ts";
import type { ValidatorConfig } from "./config.ts";
import { type AuditFacts, AuditFactsSchema, type AuditParams } from "../shared/schemas/audit.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import type { EpochFactsRecord, JudgeDeps, MinerFindings } from "./judge.ts";
import type { JudgeState } from "./judge_state.ts";

/** Where the audit's inputs are kept in the epoch's state folder. */
export const AUDIT_STATE = { facts: "audit_facts.json", others: "others_evidence.json" } as const;

/** The knobs a verdict depends on, from the validator's config. */
export function auditParams(c: ValidatorConfig): AuditParams {
  return {
    EPOCH_SECONDS: c.EPOCH_SECONDS,
    UPLOAD_LEAD_SECONDS: c.UPLOAD_LEAD_SECONDS,
    SPOT_CHECK_COUNT: c.SPOT_CHECK_COUNT,
    SPOT_CHECK_EXTRA: c.SPOT_CHECK_EXTRA,
    MIN_CONCLUSIVE_CHECKS: c.MIN_CONCLUSIVE_CHECKS,
    COPY_MIN_SHARED_PERCENT: c.COPY_MIN_SHARED_PERCENT,
    SCORE_SPEED_PERCENT: c.SCORE_SPEED_PERCENT,
    SCORE_QUALITY_PERCENT: c.SCORE_QUALITY_PERCENT,
    SCORE_VOLUME_PERCENT: c.SCORE_VOLUME_PERCENT,
    TOP_SHARES: [...c.TOP_SHARES],
    PARTICIPATION_POOL_PERCENT: c.PARTICIPATION_POOL_PERCENT,
    BURN_PERCENT: c.BURN_PERCENT,
    MAX_MINER_FILES: c.MAX_MINER_FILES,
    UPLOAD_ROWS_FACTOR: c.UPLOAD_ROWS_FACTOR,
    MAX_ROW_BYTES: c.MAX_ROW_BYTES,
    MAX_MINER_FILE_BYTES: c.MAX_MINER_FILE_BYTES,
  };
}

/** The finalisation's inputs beyond the epoch's facts and findings. */
export interface MergeInputs {
  copies: ReadonlyMap<string, string>;
  ownEvidence: readonly EvidenceEntry[];
  rechecks: readonly EvidenceEntry[];
  others: readonly ValidatorEvidence[];
}

/** `audit/facts.json` of a finalisation; parsed with its schema, so local paths never leave the machine. */
export function auditFactsOf(
  deps: Pick<JudgeDeps, "config" | "pair">,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
  merge: MergeInputs,
): AuditFacts {
  return AuditFactsSchema.parse({
    version: 1,
    epochId: facts.epochId,
    validatorHotkey: deps.pair.address,
    assignment: facts.assignment,
    seed: facts.seed,
    receipts: facts.receipts,
    ...(facts.partReceipts ? { partReceipts: facts.partReceipts } : {}),
    miners: facts.miners,
    validators: facts.validators,
    validatorStakes: facts.validatorStakes ?? {},
    ownerUid: facts.ownerUid,
    params: auditParams(deps.config),
    findings,
    copies: Object.fromEntries(merge.copies),
    ownEvidenceSha256: canonicalSha256(merge.ownEvidence),
    rechecks: merge.rechecks,
    merged: merge.others.map((o) => ({
      validator: o.validator,
      stake: o.stake,
      sha256: canonicalSha256(o.entries),
    })),
  });
}

/**
 * Re-derives `report` from the stored audit facts and evidence, as they are published; returns the facts
 * to publish, or null for an epoch finalised by an older version (nothing to check against). Throws when
 * the report does not re-derive.
 */
export async function selfCheck(
  deps: Pick<JudgeDeps, "pair" | "log" | "metrics">,
  state: JudgeState,
  report: ValidationReport,
): Promise<AuditFacts | null> {
  const facts = await state.read<AuditFacts>(AUDIT_STATE.facts);
  if (!facts) return null;
  const others = await state.read<ValidatorEvidence[]>(AUDIT_STATE.others) ?? [];
  const published = await state.read("evidence_published.json");
  const own = published ? await state.read<EvidenceEntry[]>("evidence.json") : null;
  const asUploaded = (value: unknown) => JSON.parse(canonicalJson(value));
  const verdict = auditValidator({
    epochId: report.epochId,
    validator: deps.pair.address,
    files: { report: asUploaded(report), facts: asUploaded(facts) },
    evidenceOf: (v) =>
      v === deps.pair.address ? own ?? undefined : others.find((o) => o.validator === v)?.entries,
  });
  const counter = deps.metrics.counter(
    "zipmine_validator_self_audit_total",
    "Own reports re-derived before publishing, by outcome (failed: a bug, the report is not published)",
  );
  counter.inc({ outcome: verdict.ok ? "ok" : "failed" });
  if (!verdict.ok) {
    deps.log.error("BUG: the report does not re-derive from its own facts and evidence; not published", {
      epochId: report.epochId,
      disagreements: verdict.disagreements.slice(0, 5).map((d) => `${d.miner ?? "report"}: ${d.reason}`),
    });
    throw new Error(
      `Report of ${report.epochId} does not re-derive (${verdict.disagreements.length} disagreements)`,
    );
  }
  return facts;
}
