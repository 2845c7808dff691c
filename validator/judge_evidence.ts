/**
 * Phase 3 of judging (`judge.ts`): the deterministic sample per miner (`shared/sampling.ts` via
 * `shared/audit/derive.ts`), re-fetched and compared with the miner's rows, stored and published to
 * `validators/{hotkey}/epoch={N}/evidence/spot_checks.json`. Phase 4 re-checks disputed listings with the
 * same steps.
 * @module
 */
import type { EvidenceEntry } from "../shared/agreement.ts";
import { streamOf as auditStreamOf } from "../shared/audit/derive.ts";
import { validatorKey } from "../shared/s3_keys.ts";
import { readClaims } from "./claims.ts";
import { type EpochFactsRecord, epochOf, type JudgeDeps, type MinerFindings } from "./judge_records.ts";
import { openJudgeState } from "./judge_state.ts";
import { OUTPUT_FILES } from "./publish.ts";
import { spotCheck } from "./spot_check.ts";

const SPOT_CHECK_CONCURRENCY = 4;

/** The whole stream every validator may check: SPOT_CHECK_COUNT plus SPOT_CHECK_EXTRA per miner. */
export function streamOf(deps: JudgeDeps, facts: EpochFactsRecord, findings: readonly MinerFindings[]) {
  return auditStreamOf(facts, findings, deps.config);
}

type Claims = Map<string, Awaited<ReturnType<typeof readClaims>>>;

export async function checkAll(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  claims: Claims,
  picks: readonly { miner: string; zpid: string }[],
): Promise<EvidenceEntry[]> {
  // The legacy single manifest is one part: its receipt bounds every row's scraped_at.
  const receipt = new Map(facts.receipts.map((r) => [r.hotkey, r.receivedAt]));
  const outcomes = deps.metrics.counter("zipmine_validator_spot_checks_total", "Spot checks, by outcome");
  const out: EvidenceEntry[] = new Array(picks.length);
  let next = 0;
  await Promise.all(Array.from({ length: SPOT_CHECK_CONCURRENCY }, async () => {
    while (next < picks.length) {
      const i = next++;
      const { miner, zpid } = picks[i];
      out[i] = await spotCheck(
        { fetcher: deps.fetcher, siteUrl: deps.config.LISTING_SITE_URL },
        miner,
        zpid,
        claims.get(miner)?.get(zpid),
        receipt.get(miner),
      );
      outcomes.inc({ outcome: out[i].outcome });
    }
  }));
  return out;
}

/**
 * Own checks: the first SPOT_CHECK_COUNT of each miner's stream, then, for a miner with fewer than
 * MIN_CONCLUSIVE_CHECKS conclusive outcomes, further listings of the same stream one round at a time
 * (as many as it lacks) until it has them or SPOT_CHECK_EXTRA are used.
 */
async function ownChecks(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  stream: readonly { miner: string; zpid: string }[],
  claims: Claims,
): Promise<EvidenceEntry[]> {
  const byMiner = new Map<string, { miner: string; zpid: string }[]>();
  for (const s of stream) byMiner.set(s.miner, (byMiner.get(s.miner) ?? []).concat(s));
  const used = new Map(
    [...byMiner.keys()].map((m) => [m, Math.min(deps.config.SPOT_CHECK_COUNT, byMiner.get(m)!.length)]),
  );
  const evidence = await checkAll(
    deps,
    facts,
    claims,
    [...byMiner].flatMap(([m, list]) => list.slice(0, used.get(m))),
  );
  for (;;) {
    const picks = [...byMiner].flatMap(([m, list]) => {
      const conclusive = evidence.filter((e) => e.miner === m && e.outcome !== "unknown").length;
      const lacking = deps.config.MIN_CONCLUSIVE_CHECKS - conclusive;
      if (lacking <= 0) return [];
      const from = used.get(m)!;
      const to = Math.min(list.length, from + lacking);
      used.set(m, to);
      return list.slice(from, to);
    });
    if (picks.length === 0) return evidence;
    evidence.push(...await checkAll(deps, facts, claims, picks));
  }
}

/** Phase 3: own spot checks, stored and published. */
export async function runSpotChecks(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
): Promise<EvidenceEntry[]> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  let evidence = await state.read<EvidenceEntry[]>("evidence.json");
  if (!evidence) {
    const stream = streamOf(deps, facts, findings);
    evidence = await ownChecks(deps, facts, stream, await claimsOf(findings, stream));
    await state.write("evidence.json", evidence);
  }
  if (!(await state.read("evidence_published.json"))) {
    const key = validatorKey(deps.pair.address, facts.epochId, OUTPUT_FILES.evidence);
    const epoch = epochOf(deps, facts.epochId);
    await deps.upload(key, new TextEncoder().encode(JSON.stringify(evidence)), epoch.validationEnd);
    await state.write("evidence_published.json", { key, at: deps.clock.now().toISOString() });
  }
  deps.metrics.gauge("zipmine_validator_spot_checks_unknown_ratio", "Share of own spot checks unknown")
    .set(unknownShare(evidence) ?? NaN);
  return evidence;
}

export async function claimsOf(
  findings: readonly MinerFindings[],
  picks: readonly { miner: string; zpid: string }[],
) {
  const claims: Claims = new Map();
  for (const f of findings) {
    const zpids = picks.filter((s) => s.miner === f.hotkey).map((s) => s.zpid);
    if (zpids.length > 0) claims.set(f.hotkey, await readClaims(f.files, zpids));
  }
  return claims;
}

/** The share of `evidence` whose outcome is unknown (blocked, timed out); null when there is none. */
export function unknownShare(evidence: readonly EvidenceEntry[]): number | null {
  return evidence.length === 0
    ? null
    : evidence.filter((e) => e.outcome === "unknown").length / evidence.length;
}
