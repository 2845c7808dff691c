/**
 * The deterministic half of judging, from findings to the published report: the spot-check stream
 * (`sampling.ts`), the merge of evidence (`agreement.ts`), scores, ranks and weights (`scoring.ts`) and the
 * report itself. The validator finalises with it (`validator/judge.ts`) and anyone re-derives a published
 * report with it (`audit.ts`), so the two can never drift apart. Pure: no I/O, no clock.
 * @module
 */
import {
  type EvidenceEntry,
  type MergedCheck,
  mergeEvidence,
  tallyByMiner,
  type ValidatorEvidence,
} from "../agreement.ts";
import { canonicalSha256 } from "../canonical_json.ts";
import { epochById } from "../epoch.ts";
import { deliveriesOf } from "../parts.ts";
import { drawSpotChecks, reporterCounts } from "../sampling.ts";
import { scoreEpoch, type ScoringResult } from "../scoring.ts";
import type { AuditFinding, AuditParams } from "../schemas/audit.ts";
import type { MinerVerdict, ValidationReport } from "../schemas/report.ts";
import type { AssignmentResponse, SubmissionReceipt } from "../schemas/zipcode_assignments.ts";

/** The epoch facts a derivation reads (`EpochFactsRecord` of the validator, `AuditFacts` of the record). */
export interface DeriveFacts {
  epochId: string;
  assignment: AssignmentResponse;
  seed: string;
  receipts: readonly SubmissionReceipt[];
  /** Receipts of part manifests (`shared/parts.ts`); absent in records of older versions. */
  partReceipts?: readonly SubmissionReceipt[];
  ownerUid: number | null;
}

/** Everything a report is derived from. */
export interface DeriveInput {
  facts: DeriveFacts;
  findings: readonly AuditFinding[];
  /** Copy verdicts by miner hotkey (`shared/copies.ts`). */
  copies: ReadonlyMap<string, string>;
  /** The validator's own conclusive outcomes and evidence, rechecks first (agreement rule 4). */
  own: readonly EvidenceEntry[];
  /** The other validators' evidence it merged. */
  others: readonly ValidatorEvidence[];
  params: AuditParams;
  validatorHotkey: string;
}

/** The derivation's steps, each kept for comparison. */
export interface Derived {
  stream: { miner: string; zpid: string }[];
  merged: MergedCheck[];
  result: ScoringResult;
  report: ValidationReport;
}

/** The earliest receipt (ms) of any of the miner's manifests (ties in ranking go to it); null without one. */
export function earliestReceipt(
  facts: Pick<DeriveFacts, "receipts" | "partReceipts">,
  hotkey: string,
): number | null {
  const times = [...facts.receipts, ...(facts.partReceipts ?? [])].filter((r) => r.hotkey === hotkey)
    .map((r) => Date.parse(r.receivedAt));
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * Scoring's deliveries: each file's listings credited to the receipt of the part that first delivered it
 * (older findings without per-file counts: one delivery at the manifest's receipt).
 */
function deliveriesOfFindings(f: AuditFinding): { deliveries?: ReturnType<typeof deliveriesOf> } {
  if (!f.checks?.perFile || !f.fileReceivedAtMs) return {};
  return {
    deliveries: deliveriesOf(
      f.checks.perFile.map((file) => ({ key: file.key, zipcode: file.zipcode, listings: file.forSale })),
      f.fileReceivedAtMs,
    ),
  };
}

/** The miner's for-sale listings per ZIP (older findings without them: every listing). */
export function forSaleOf(f: Pick<AuditFinding, "checks">): Record<string, number> {
  return f.checks?.counts.forSalePerZipcode ?? f.checks?.counts.perZipcode ?? {};
}

/** The zero reason scoring sees: the miner's own failure, or that it was not judged. */
export function scoredZeroReason(f: Pick<AuditFinding, "zeroReason" | "notJudged">): string | null {
  return f.zeroReason ?? (f.notJudged ? `not judged: ${f.notJudged}` : null);
}

/**
 * Every miner's deterministic sample stream, for the miners that passed their checks: `count` listings
 * each, drawn from the listings the fewest passing miners reported first (`shared/sampling.ts`).
 */
export function samplesOf(facts: { seed: string }, findings: readonly AuditFinding[], count: number) {
  const eligible = findings.filter((f) => f.zeroReason === null && f.checks && f.manifestSha256);
  const reporters = reporterCounts(eligible.map((f) => ({ zpids: f.checks!.zpids })));
  return eligible.flatMap((f) =>
    drawSpotChecks({
      epochSeed: facts.seed,
      hotkey: f.hotkey,
      manifestSha256: f.manifestSha256!,
      zpids: f.checks!.zpids,
      reporters,
      count,
    }).map((zpid) => ({ miner: f.hotkey, zpid }))
  );
}

/** The whole stream every validator may check: SPOT_CHECK_COUNT plus SPOT_CHECK_EXTRA per miner. */
export function streamOf(facts: { seed: string }, findings: readonly AuditFinding[], params: AuditParams) {
  return samplesOf(facts, findings, params.SPOT_CHECK_COUNT + params.SPOT_CHECK_EXTRA);
}

function epochOf(epochId: string, params: AuditParams) {
  return epochById(epochId, {
    epochSeconds: params.EPOCH_SECONDS,
    uploadLeadSeconds: params.UPLOAD_LEAD_SECONDS,
  });
}

/** Merge, score and report (see the module doc). */
export function deriveReport(input: DeriveInput): Derived {
  const { facts, findings, params } = input;
  const stream = streamOf(facts, findings, params);
  // Listings of the stream nobody checked are left out; the merge is otherwise the same everywhere.
  const merged = mergeEvidence(stream, input.own, input.others).filter((c) =>
    c.votes.valid + c.votes.invalid + c.votes.unknown > 0
  );
  const tallies = tallyByMiner(merged);
  const epoch = epochOf(facts.epochId, params);
  const result = scoreEpoch(
    findings.map((f) => ({
      hotkey: f.hotkey,
      uid: f.uid,
      zeroReason: scoredZeroReason(f) ?? input.copies.get(f.hotkey) ?? null,
      receivedAtMs: earliestReceipt(facts, f.hotkey),
      ...deliveriesOfFindings(f),
      spotChecks: tallies.get(f.hotkey) ?? { valid: 0, invalid: 0, unknown: 0 },
      completeness: f.checks?.quality.completeness ?? 0,
      // Volume counts only what the subnet buys: listings for sale at scrape time.
      uniqueValidPerZip: forSaleOf(f),
    })),
    {
      startMs: epoch.start,
      deadlineMs: epoch.submissionDeadline,
      expectedPerZip: Object.fromEntries(
        facts.assignment.zipcodes.map((z) => [z.zipcode, z.expectedListings]),
      ),
      tolerancePercent: facts.assignment.tolerancePercent,
    },
    {
      speedPercent: params.SCORE_SPEED_PERCENT,
      qualityPercent: params.SCORE_QUALITY_PERCENT,
      volumePercent: params.SCORE_VOLUME_PERCENT,
      topShares: params.TOP_SHARES,
      participationPoolPercent: params.PARTICIPATION_POOL_PERCENT,
      burnPercent: params.BURN_PERCENT,
      ownerUid: facts.ownerUid,
      minConclusiveChecks: params.MIN_CONCLUSIVE_CHECKS,
    },
  );
  return { stream, merged, result, report: buildReport(input, merged, result) };
}

function verdictOf(
  f: AuditFinding,
  s: ScoringResult["miners"][number],
  input: DeriveInput,
  merged: MergedCheck[],
) {
  const receipt = input.facts.receipts.find((r) => r.hotkey === f.hotkey);
  const verdict: MinerVerdict = {
    hotkey: f.hotkey,
    uid: f.uid,
    submittedAt: receipt?.receivedAt ?? null,
    manifestSha256: f.manifestSha256,
    checks: [
      ...f.integrity,
      ...(f.checks?.checks ?? []).map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })),
    ],
    counts: {
      rows: f.checks?.counts.rows ?? 0,
      uniqueListings: f.checks?.counts.uniqueListings ?? 0,
      duplicates: f.checks?.counts.duplicates ?? 0,
      perZipcode: f.checks?.counts.perZipcode ?? {},
      forSalePerZipcode: forSaleOf(f),
    },
    spotChecks: merged.filter((c) => c.miner === f.hotkey).map((c) => ({
      zpid: c.zpid,
      outcome: c.outcome,
      ...(c.reason ? { reason: c.reason } : {}),
    })),
    components: s.components,
    score: s.score,
    rank: s.rank,
    weight: s.weight,
    reason: s.reason,
    // Every zero but "not judged" is the miner's own (its upload, or spot checks the merge confirmed).
    failure: f.notJudged ? "not_judged" : s.reason ? "input" : null,
  };
  return verdict;
}

function buildReport(input: DeriveInput, merged: MergedCheck[], result: ScoringResult): ValidationReport {
  const scored = new Map(result.miners.map((m) => [m.hotkey, m]));
  const p = input.params;
  return {
    version: 1,
    epochId: input.facts.epochId,
    validatorHotkey: input.validatorHotkey,
    // Derived from the epoch, not the wall clock, so every validator's report body is comparable.
    generatedAt: new Date(epochOf(input.facts.epochId, p).validationEnd).toISOString(),
    seed: input.facts.seed,
    seedCommitment: input.facts.assignment.seedCommitment,
    config: {
      SPOT_CHECK_COUNT: p.SPOT_CHECK_COUNT,
      SCORE_SPEED_PERCENT: p.SCORE_SPEED_PERCENT,
      SCORE_QUALITY_PERCENT: p.SCORE_QUALITY_PERCENT,
      SCORE_VOLUME_PERCENT: p.SCORE_VOLUME_PERCENT,
      TOP_SHARES: p.TOP_SHARES,
      PARTICIPATION_POOL_PERCENT: p.PARTICIPATION_POOL_PERCENT,
      BURN_PERCENT: p.BURN_PERCENT,
      otherValidatorsMerged: input.others.length,
    },
    miners: input.findings.map((f) => verdictOf(f, scored.get(f.hotkey)!, input, merged)),
    weights: result.weights,
    burn: result.owner,
    evidenceSha256: [canonicalSha256(merged)],
  };
}
