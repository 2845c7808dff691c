/**
 * What localnet prints per judged epoch, built from the validators' finalised reports: the assignment,
 * every miner's listings, checks, score and reason, every validator's weights, and their agreement; plus
 * the `--check` verdict. Pure.
 * @module
 */
import { SCALE } from "../../shared/fixed_point.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import type { AssignmentResponse } from "../../shared/schemas/zipcode_assignments.ts";
import { normalisedWeights, weightAgreement } from "../../shared/weight_agreement.ts";
import type { MinerExpect } from "./roster_file.ts";

/** One miner's line. */
export interface MinerLine {
  hotkey: string;
  /** The roster's label (honest_fast, fabricator, ...). */
  strategy: string;
  /** What `--check` expects of it (roster_file.ts). */
  expect: MinerExpect;
  listings: number;
  /** Its earliest receipt; what "fastest" means. */
  submittedAt: string | null;
  failedChecks: string[];
  score: number;
  rank: number | null;
  reason: string | null;
}

/** A validator's weights on the local chain when its epoch was summarised, and the extrinsic they came by. */
export interface ChainWeightsLine {
  hotkey: string;
  /** set_weights, reveal_weights (CRv2) or commit_timelocked_weights (CRv4); null: none on chain yet. */
  via: string | null;
  block: number | null;
}

/** One judged epoch, as printed and written with `--json`. */
export interface EpochSummary {
  epochId: string;
  zipcodes: string[];
  expectedTotal: number;
  miners: MinerLine[];
  validators: { hotkey: string; weights: Record<string, number> }[];
  agreement: number;
  outputs: string[];
  /** The chain's view: whether commit-reveal is on and through which path each validator's weights landed. */
  chain?: { commitReveal: boolean; weights: ChainWeightsLine[] };
}

/**
 * Builds an epoch's summary from its assignment and the validators' reports; `agreeing` names the
 * validators whose weights must agree (a lying validator's own weights are its business), default all.
 */
export function summarise(
  assignment: AssignmentResponse,
  reports: readonly ValidationReport[],
  roles: ReadonlyMap<string, { label: string; expect: MinerExpect }>,
  outputs: string[],
  agreeing?: ReadonlySet<string>,
): EpochSummary {
  const weights = reports.map((r) => ({ hotkey: r.validatorHotkey, weights: normalisedWeights(r) }));
  const compared = weights.filter((w) => !agreeing || agreeing.has(w.hotkey));
  let agreement = 1;
  for (let i = 1; i < compared.length; i++) {
    agreement = Math.min(agreement, weightAgreement(compared[0].weights, compared[i].weights));
  }
  const first = reports.find((r) => !agreeing || agreeing.has(r.validatorHotkey)) ?? reports[0];
  return {
    epochId: assignment.epochId,
    zipcodes: assignment.zipcodes.map((z) => z.zipcode),
    expectedTotal: assignment.metadata.totalExpectedListings,
    miners: first.miners.filter((m) => roles.has(m.hotkey)).map((m) => ({
      hotkey: m.hotkey,
      strategy: roles.get(m.hotkey)!.label,
      expect: roles.get(m.hotkey)!.expect,
      listings: m.counts.uniqueListings,
      submittedAt: m.submittedAt,
      failedChecks: m.checks.filter((c) => !c.ok).map((c) => c.name),
      score: m.score / SCALE,
      rank: m.rank,
      reason: m.reason,
    })),
    validators: weights,
    agreement,
    outputs,
  };
}

/** Complete: at least this share of the most unique listings any honest miner delivered. */
const COMPLETE_SHARE = 0.99;

/**
 * The `--check` verdict of one epoch: a list of failures (empty = pass). Every `zero` miner scores
 * exactly 0; every `honest` miner scores above 0 and above every `zero` and `below` miner; of the `copy`
 * miners (one scrape under several hotkeys) at most one scores, and that one did the scrape, so it counts
 * as honest work for the next rule; the fastest complete honest miner (earliest receipt among those within
 * 1 % of the most listings) ranks first; the agreeing validators agree on at least 99 % of weight.
 */
export function checkEpoch(summary: EpochSummary): string[] {
  const failures: string[] = [];
  const of = (...kinds: MinerExpect[]) => summary.miners.filter((m) => kinds.includes(m.expect));
  const honest = of("honest");
  for (const m of of("zero")) if (m.score !== 0) failures.push(`${m.strategy} scored ${m.score}, not 0`);
  for (const m of honest) if (m.score <= 0) failures.push(`${m.strategy} scored 0 (${m.reason})`);
  for (const liar of of("zero", "below")) {
    const under = honest.filter((h) => h.score > 0 && h.score <= liar.score);
    if (under.length > 0) {
      failures.push(`${liar.strategy} (${liar.score}) not below ${under.map((h) => h.strategy).join(", ")}`);
    }
  }
  const scoringCopies = of("copy").filter((m) => m.score > 0);
  if (scoringCopies.length > 1) {
    failures.push(
      `copies scored under ${scoringCopies.length} hotkeys: ${scoringCopies.map((m) => m.strategy)}`,
    );
  }
  const fastest = fastestComplete([...honest, ...scoringCopies]);
  if (fastest && fastest.rank !== 1) {
    failures.push(
      `${fastest.strategy}, the fastest complete honest miner, ranked ${fastest.rank ?? "-"}, not first`,
    );
  }
  if (summary.agreement < 0.99) {
    failures.push(`validators agree on ${(summary.agreement * 100).toFixed(2)} % of weight`);
  }
  return failures.map((f) => `${summary.epochId}: ${f}`);
}

/** The honest miner with the earliest receipt among those that delivered (nearly) the most listings. */
export function fastestComplete(honest: readonly MinerLine[]): MinerLine | null {
  const most = Math.max(0, ...honest.map((m) => m.listings));
  const complete = honest.filter((m) => m.submittedAt !== null && m.listings >= most * COMPLETE_SHARE);
  complete.sort((a, b) => Date.parse(a.submittedAt!) - Date.parse(b.submittedAt!));
  return complete[0] ?? null;
}

/**
 * The `--check` verdict on the chain at the last epoch: every validator's weights are on chain, and with
 * commit-reveal on they came through CRv4 (the production path), not a direct set.
 */
export function checkChainWeights(summary: EpochSummary): string[] {
  if (!summary.chain) return [];
  const want = summary.chain.commitReveal ? "commit_timelocked_weights" : "set_weights";
  return summary.chain.weights.filter((w) => w.via !== want).map((w) =>
    `${summary.epochId}: validator ${w.hotkey} has ${
      w.via ? `weights via ${w.via}` : "no weights"
    } on chain, not via ${want}`
  );
}

const PATH_NAMES: Record<string, string> = {
  commit_timelocked_weights: "CRv4 timelocked commit, decrypted by the chain",
  reveal_weights: "CRv2 commit + reveal",
  set_weights: "direct set_weights",
};

/** Human-readable text of a summary. */
export function renderSummary(s: EpochSummary): string {
  const pad = (v: unknown, n: number) => String(v).padEnd(n);
  const lines = [
    `epoch ${s.epochId}: ${s.zipcodes.length} ZIPs (${
      s.zipcodes.join(", ")
    }), ${s.expectedTotal} expected listings`,
    `  ${pad("miner", 14)} ${pad("hotkey", 12)} ${pad("listings", 9)} ${pad("score", 9)} ${
      pad("rank", 5)
    } reason`,
    ...s.miners.map((m) =>
      `  ${pad(m.strategy, 14)} ${pad(m.hotkey.slice(0, 10) + "…", 12)} ${pad(m.listings, 9)} ${
        pad(m.score.toFixed(4), 9)
      } ${pad(m.rank ?? "-", 5)} ${m.reason ?? ""}`
    ),
    ...s.validators.map((v) =>
      `  validator ${v.hotkey.slice(0, 10)}… weights: ${
        Object.entries(v.weights).filter(([, w]) => w > 0).map(([k, w]) =>
          `${k === "owner" ? "owner" : k.slice(0, 6)}=${w.toFixed(4)}`
        )
          .join(" ")
      }`
    ),
    `  agreement between validators: ${(s.agreement * 100).toFixed(2)} %`,
    ...(s.chain?.weights ?? []).map((w) =>
      `  on chain: validator ${w.hotkey.slice(0, 10)}… ${
        w.via
          ? `weights landed via ${w.via} (${PATH_NAMES[w.via] ?? w.via}) at block ${w.block}`
          : "no weights yet"
      }`
    ),
    ...s.outputs.map((o) => `  published: ${o}`),
  ];
  return lines.join("\n");
}
