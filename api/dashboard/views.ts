/**
 * The dashboard's JSON bodies, built from a plan, miner progress and the validators' published verdicts.
 * Pure. Fields are copied one by one, never spread from a plan or a report, so the nonce, the sampling
 * seed and its commitment cannot slip in; text the validators wrote is additionally scrubbed of every known
 * epoch secret before it is shown.
 * @module
 */
import { SCALE } from "../../shared/fixed_point.ts";
import type {
  DashboardCurrent,
  DashboardEpoch,
  DashboardEpochs,
  DashboardMiner,
} from "../../shared/schemas/dashboard.ts";
import { minPairAgreement, normalisedWeights } from "../../shared/weight_agreement.ts";
import type { EpochStatus } from "../planner.ts";
import type { EpochPlan } from "../stores/epochs.ts";
import type { PublishedVerdict } from "./published_reports.ts";

const iso = (ms: number) => new Date(ms).toISOString();
// Float sums can land a hair outside [0, 1].
const clampFraction = (v: number | null) => (v === null ? null : Math.min(1, Math.max(0, v)));
const MAX_TEXT = 200;

/** `GET /api/v1/dashboard/current` from the current plan and its miners' progress. */
export function currentView(input: {
  plan: EpochPlan;
  status: EpochStatus;
  paused: boolean;
  /** Miners by latest status (`progressSummary`). */
  progress: Readonly<Record<string, number>>;
  receipts: number;
  nowMs: number;
}): DashboardCurrent {
  const { plan, progress } = input;
  return {
    success: true,
    serverTime: iso(input.nowMs),
    systemStatus: input.paused ? "paused" : "operational",
    epoch: {
      id: plan.epochId,
      status: input.status,
      start: iso(plan.startMs),
      end: iso(plan.endMs),
      submissionDeadline: iso(plan.deadlineMs),
      targetListings: plan.targetListings,
      tolerancePercent: plan.tolerancePercent,
      expectedListings: plan.totalExpected,
      zipcodeCount: plan.zipcodes.length,
      targetMissed: plan.targetMissed,
    },
    zipcodes: plan.zipcodes.map((z) => ({
      zipcode: z.zipcode,
      city: z.city,
      state: z.state,
      county: z.county,
      marketTier: z.marketTier,
      expectedListings: z.expectedListings,
      latitude: z.latitude ?? null,
      longitude: z.longitude ?? null,
    })),
    miners: {
      inProgress: progress.IN_PROGRESS ?? 0,
      completed: progress.COMPLETED ?? 0,
      failed: progress.FAILED ?? 0,
      timedOut: progress.TIMEOUT ?? 0,
      receipts: input.receipts,
    },
  };
}

/**
 * Replaces every secret in validator-written `text` and caps its length. A secret is matched in any case
 * and with separators (space, `-`, `_`, `:`, `.`, `,`, `/`) between its characters, so `AB-CD...` or an
 * upper-cased nonce cannot slip through; the text is capped first, so the patterns run over bounded input.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.length > MAX_TEXT * 4 ? text.slice(0, MAX_TEXT * 4) : text;
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    const chars = [...secret.replace(/[\s\-_:.,/]/g, "")].map((ch) =>
      ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    );
    out = out.replace(new RegExp(chars.join("[\\s\\-_:.,/]*"), "gi"), "[redacted]");
  }
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT - 1)}…` : out;
}

/**
 * One ended epoch from its plan and the verdicts published on it. The reference verdict is that of the
 * validator with the most stake (`stakeOf`; ties by hotkey); miners, winners and shares are as it
 * published them, and agreement covers every verdict.
 */
export function epochView(input: {
  plan: EpochPlan;
  verdicts: readonly PublishedVerdict[];
  stakeOf: (hotkey: string) => number | null;
  /** Every epoch secret the API knows (nonces, seeds, commitments), scrubbed from validator text. */
  secrets: readonly string[];
}): DashboardEpoch {
  const { plan } = input;
  const verdicts = [...input.verdicts].sort((a, b) =>
    (input.stakeOf(b.report.validatorHotkey) ?? -1) - (input.stakeOf(a.report.validatorHotkey) ?? -1) ||
    a.report.validatorHotkey.localeCompare(b.report.validatorHotkey)
  );
  const reference = verdicts[0];
  const shares = reference ? normalisedWeights(reference.report) : {};
  const miners: DashboardMiner[] = (reference?.report.miners ?? []).map((m) => ({
    hotkey: m.hotkey,
    uid: m.uid,
    rank: m.rank,
    score: m.score / SCALE,
    share: shares[m.hotkey] ?? 0,
    uniqueListings: m.counts.uniqueListings,
    submittedAt: m.submittedAt,
    failedChecks: m.checks.filter((c) => !c.ok).map((c) => scrub(c.name, input.secrets)),
    reason: m.reason === null ? null : scrub(m.reason, input.secrets),
  }));
  miners.sort((a, b) =>
    (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.score - a.score || a.hotkey.localeCompare(b.hotkey)
  );
  return {
    id: plan.epochId,
    start: iso(plan.startMs),
    end: iso(plan.endMs),
    zipcodeCount: plan.zipcodes.length,
    expectedListings: plan.totalExpected,
    judged: reference !== undefined,
    validatedListings: reference?.metadata.validatedListings ?? null,
    referenceValidator: reference?.report.validatorHotkey ?? null,
    validators: verdicts.map((v) => ({
      hotkey: v.report.validatorHotkey,
      stake: input.stakeOf(v.report.validatorHotkey),
      publishedAt: v.metadata.publishedAt,
      validatedListings: v.metadata.validatedListings,
      audit: {
        rederives: v.audit?.rederives ?? null,
        disagreements: v.audit?.disagreements ?? 0,
        first: v.audit?.first ? scrub(v.audit.first, input.secrets) : null,
      },
    })),
    agreement: clampFraction(minPairAgreement(verdicts.map((v) => normalisedWeights(v.report)))),
    winners: (reference?.metadata.winners ?? []).map((w) => ({
      hotkey: w.hotkey,
      rank: w.rank,
      share: shares[w.hotkey] ?? 0,
    })).sort((a, b) => a.rank - b.rank),
    burnShare: reference?.report.burn ? shares.owner ?? 0 : null,
    miners,
  };
}

/** Each validator's audit outcome per judged epoch, validators by hotkey, epochs as given (newest first). */
export function auditHistory(epochs: readonly DashboardEpoch[]): DashboardEpochs["auditHistory"] {
  const byValidator = new Map<string, { id: string; rederives: boolean | null }[]>();
  for (const e of epochs) {
    for (const v of e.validators) {
      byValidator.set(v.hotkey, [...(byValidator.get(v.hotkey) ?? []), {
        id: e.id,
        rederives: v.audit.rederives,
      }]);
    }
  }
  return [...byValidator].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([hotkey, list]) => ({
    hotkey,
    epochs: list,
  }));
}
