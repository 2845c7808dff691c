/**
 * The mechanism under test, applied to one simulated epoch with the REAL protocol code: the sample stream
 * (`shared/sampling.ts`, fewest reporters first), each validator's own checks with further checks along the
 * stream for miners short of conclusive ones (as `validator/judge.ts` does), the re-fetch of disputed
 * listings and the stake-weighted merge (`shared/agreement.ts`), copy clusters (`shared/copies.ts`),
 * scoring with per-part delivery credit (`shared/scoring.ts`) and calibration (`shared/calibration.ts`).
 * Only the page fetch is simulated: a fetch is blocked with the validator's block rate, otherwise it shows
 * the truth, and whether a lie shows is decided by the real comparison (`lies.ts`).
 * @module
 */
import { createHash } from "node:crypto";
import {
  DISPUTE_FETCH_ATTEMPTS,
  disputedUnconcluded,
  type EvidenceEntry,
  mergeEvidence,
  tallyByMiner,
  type ValidatorEvidence,
} from "../../shared/agreement.ts";
import { recalibrate, validatedPerZip } from "../../shared/calibration.ts";
import { CORE_KNOBS, coreChecks, type CoreConfig, parseKnobs } from "../../shared/config.ts";
import { copyReasons } from "../../shared/copies.ts";
import type { Prng } from "../../shared/prng.ts";
import { drawSpotChecks, reporterCounts } from "../../shared/sampling.ts";
import { type Delivery, scoreEpoch } from "../../shared/scoring.ts";
import { detectable, type LieKind } from "./lies.ts";
import { type SimMiner, type SimRow, type SimValidator, WORLD, ZIPS } from "./world.ts";

/** The knobs the simulator uses: the validator's defaults unless overridden. */
export type MechanismKnobs = Pick<
  CoreConfig,
  | "SPOT_CHECK_COUNT"
  | "SPOT_CHECK_EXTRA"
  | "MIN_CONCLUSIVE_CHECKS"
  | "SCORE_SPEED_PERCENT"
  | "SCORE_QUALITY_PERCENT"
  | "SCORE_VOLUME_PERCENT"
  | "TOP_SHARES"
  | "PARTICIPATION_POOL_PERCENT"
  | "CALIBRATION_MAX_STEP_PERCENT"
  | "COPY_MIN_SHARED_PERCENT"
>;

/** The default knobs (shared/config.ts). */
export const DEFAULT_KNOBS: MechanismKnobs = parseKnobs(
  { component: "validator", table: CORE_KNOBS, checks: coreChecks },
  {},
);

const START_MS = 1_759_334_400_000;
const MINUTE_MS = 60_000;

const hex = (s: string) => createHash("sha256").update(s).digest("hex");

const DETECTABLE = new Map<LieKind, boolean>();
function shows(lie: SimRow["lie"]): boolean {
  if (lie === null) return false;
  if (lie === "fake") return true; // no such page: "not found" through two exits
  if (!DETECTABLE.has(lie)) DETECTABLE.set(lie, detectable(lie));
  return DETECTABLE.get(lie)!;
}

/** What one honest validator concluded: weights by hotkey and the zero reasons. */
export interface ValidatorView {
  weights: Record<string, number>;
  reasons: Record<string, string | null>;
}

type Pick1 = { miner: string; zpid: string };

/** Each listing credited to the earliest part holding its ZIP. */
function deliveriesOf(m: SimMiner): Delivery[] {
  const firstPart = new Map<string, number>();
  m.parts.forEach((p, i) => p.zips.forEach((z) => firstPart.has(z) || firstPart.set(z, i)));
  const out = m.parts.map((p) => ({
    receivedAtMs: START_MS + p.receivedMin * MINUTE_MS,
    uniqueValidPerZip: {} as Record<string, number>,
  }));
  for (const row of m.rows.values()) {
    if (row.forSale === false) continue;
    const i = firstPart.get(row.zip);
    if (i !== undefined) out[i].uniqueValidPerZip[row.zip] = (out[i].uniqueValidPerZip[row.zip] ?? 0) + 1;
  }
  return out;
}

/** Judges one epoch; returns the view of every validator that is not a liar, by validator hotkey. */
export function judgeEpoch(
  trial: string,
  miners: readonly SimMiner[],
  validators: readonly SimValidator[],
  prng: Prng,
  knobs: MechanismKnobs = DEFAULT_KNOBS,
): Map<string, ValidatorView> {
  const epochSeed = hex(`seed|${trial}`);
  const reporters = reporterCounts(miners.map((m) => ({ zpids: [...m.rows.keys()] })));
  const streams = new Map(miners.map((m) => [
    m.hotkey,
    drawSpotChecks({
      epochSeed,
      hotkey: m.hotkey,
      manifestSha256: hex(`manifest|${trial}|${m.hotkey}`),
      zpids: [...m.rows.keys()],
      reporters,
      count: knobs.SPOT_CHECK_COUNT + knobs.SPOT_CHECK_EXTRA,
    }).map((zpid) => ({ miner: m.hotkey, zpid })),
  ]));
  const stream = [...streams.values()].flat();
  const byHotkey = new Map(miners.map((m) => [m.hotkey, m]));
  const truth = (s: Pick1) => shows(byHotkey.get(s.miner)!.rows.get(s.zpid)!.lie) ? "invalid" : "valid";
  const fetch = (v: SimValidator, s: Pick1): EvidenceEntry => ({
    ...s,
    outcome: prng.nextFloat() < v.blockRate ? "unknown" : truth(s),
  });
  const published: ValidatorEvidence[] = validators.map((v) => ({
    validator: v.hotkey,
    stake: v.stake,
    entries: v.liar
      ? stream.map((s) => ({ ...s, outcome: v.liar!.votes[s.miner] ?? truth(s) }))
      : ownChecks(v, fetch, streams, knobs),
  }));

  const perZipOf = (m: SimMiner) => {
    const perZip: Record<string, number> = {};
    // Volume and calibration count listings for sale only (FOR_SALE_STATUSES).
    for (const row of m.rows.values()) {
      if (row.forSale !== false) perZip[row.zip] = (perZip[row.zip] ?? 0) + 1;
    }
    return perZip;
  };
  // The ZIPs' expected counts as calibration left them after the same cast worked the previous epoch.
  const reported = validatedPerZip(miners.map(perZipOf));
  const expectedPerZip = Object.fromEntries(
    ZIPS.map((
      z,
    ) => [
      z,
      recalibrate(WORLD.forSalePerZip, [reported[z] ?? 0], {
        maxStepPercent: knobs.CALIBRATION_MAX_STEP_PERCENT,
      }),
    ]),
  );
  const receivedAtMs = (m: SimMiner) => START_MS + Math.min(...m.parts.map((p) => p.receivedMin)) * MINUTE_MS;
  const copies = copyReasons(
    miners.map((m) => ({
      hotkey: m.hotkey,
      rowKeys: [...m.rows].map(([zpid, r]) => `${zpid}|${r.scrapeId}`),
      receivedAtMs: receivedAtMs(m),
    })),
    knobs.COPY_MIN_SHARED_PERCENT,
  );
  const views = new Map<string, ValidatorView>();
  validators.forEach((v, i) => {
    if (v.liar) return;
    const others = published.filter((_, j) => j !== i);
    let own = [...published[i].entries];
    for (let attempt = 0; attempt < DISPUTE_FETCH_ATTEMPTS; attempt++) {
      const again = disputedUnconcluded(stream, own, others).map((s) => fetch(v, s));
      if (again.length === 0) break;
      own = [...again.filter((e) => e.outcome !== "unknown"), ...own];
    }
    const merged = mergeEvidence(stream, own, others).filter((c) =>
      c.votes.valid + c.votes.invalid + c.votes.unknown > 0
    );
    const tallies = tallyByMiner(merged);
    const result = scoreEpoch(
      miners.map((m) => ({
        hotkey: m.hotkey,
        uid: null,
        zeroReason: copies.get(m.hotkey) ?? null,
        receivedAtMs: receivedAtMs(m),
        deliveries: deliveriesOf(m),
        spotChecks: tallies.get(m.hotkey) ?? { valid: 0, invalid: 0, unknown: 0 },
        completeness: m.completeness,
        uniqueValidPerZip: perZipOf(m),
      })),
      {
        startMs: START_MS,
        deadlineMs: START_MS + WORLD.epochMinutes * MINUTE_MS,
        expectedPerZip,
        tolerancePercent: 10,
      },
      {
        speedPercent: knobs.SCORE_SPEED_PERCENT,
        qualityPercent: knobs.SCORE_QUALITY_PERCENT,
        volumePercent: knobs.SCORE_VOLUME_PERCENT,
        topShares: knobs.TOP_SHARES,
        participationPoolPercent: knobs.PARTICIPATION_POOL_PERCENT,
        burnPercent: 0,
        ownerUid: null,
        minConclusiveChecks: knobs.MIN_CONCLUSIVE_CHECKS,
      },
    );
    views.set(v.hotkey, {
      weights: result.weights,
      reasons: Object.fromEntries(result.miners.map((m) => [m.hotkey, m.reason])),
    });
  });
  return views;
}

/** An honest validator's own checks, as `validator/judge.ts` runs them. */
function ownChecks(
  v: SimValidator,
  fetch: (v: SimValidator, s: Pick1) => EvidenceEntry,
  streams: Map<string, Pick1[]>,
  knobs: MechanismKnobs,
): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  for (const list of streams.values()) {
    let conclusive = 0;
    list.forEach((s, i) => {
      if (i >= knobs.SPOT_CHECK_COUNT && conclusive >= knobs.MIN_CONCLUSIVE_CHECKS) return;
      const e = fetch(v, s);
      if (e.outcome !== "unknown") conclusive++;
      out.push(e);
    });
  }
  return out;
}
