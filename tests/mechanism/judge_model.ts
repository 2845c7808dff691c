/**
 * The mechanism under test, applied to one simulated epoch with the REAL protocol code: the deterministic
 * sample (`shared/sampling.ts`, fed by `crossMinerUnique`), each validator's spot-check outcomes, the
 * evidence merge (`shared/agreement.ts`) and scoring (`shared/scoring.ts`). Only the page fetch is
 * simulated: a fetch is blocked with the validator's block rate, otherwise it shows the truth, and whether a
 * lie shows is decided by the real comparison (`lies.ts`).
 * @module
 */
import { createHash } from "node:crypto";
import { recalibrate, validatedPerZip } from "../../shared/calibration.ts";
import { type EvidenceEntry, mergeEvidence, tallyByMiner } from "../../shared/agreement.ts";
import type { Prng } from "../../shared/prng.ts";
import { drawSpotChecks } from "../../shared/sampling.ts";
import { scoreEpoch, type ScoringParams } from "../../shared/scoring.ts";
import { crossMinerUnique } from "../../validator/checks/cross_miner_unique.ts";
import { detectable, type LieKind } from "./lies.ts";
import { type SimMiner, type SimRow, type SimValidator, WORLD, ZIPS } from "./world.ts";

/** The knobs the simulator varies. */
export interface MechanismKnobs {
  spotCheckCount: number;
}

/** The default knobs (shared/config.ts defaults). */
export const DEFAULT_KNOBS: MechanismKnobs = { spotCheckCount: 10 };

const PARAMS: ScoringParams = {
  speedPercent: 40,
  qualityPercent: 40,
  volumePercent: 20,
  topShares: [50, 30, 15],
  participationPoolPercent: 5,
  burnPercent: 0,
  ownerUid: null,
};
const START_MS = 1_759_334_400_000;
const MINUTE_MS = 60_000;

const hex = (s: string) => createHash("sha256").update(s).digest("hex");

const DETECTABLE = new Map<LieKind, boolean>();
function shows(lie: SimRow["lie"]): boolean {
  if (lie === null) return false;
  if (lie === "fake") return true; // no such page: "not found" on both fetches
  if (!DETECTABLE.has(lie)) DETECTABLE.set(lie, detectable(lie));
  return DETECTABLE.get(lie)!;
}

/** What one honest validator concluded: weights by hotkey and the zero reasons. */
export interface ValidatorView {
  weights: Record<string, number>;
  reasons: Record<string, string | null>;
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
  const unique = crossMinerUnique(
    miners.map((m) => ({ hotkey: m.hotkey, zpids: [...m.rows.keys()], zeroReason: null })),
  );
  const sample = miners.flatMap((m) =>
    drawSpotChecks({
      epochSeed,
      hotkey: m.hotkey,
      manifestSha256: hex(`manifest|${trial}|${m.hotkey}`),
      zpids: [...m.rows.keys()],
      uniqueZpids: unique.get(m.hotkey) ?? [],
      count: knobs.spotCheckCount,
    }).map((zpid) => ({ miner: m.hotkey, zpid }))
  );
  const byHotkey = new Map(miners.map((m) => [m.hotkey, m]));
  const truth = (s: { miner: string; zpid: string }) =>
    shows(byHotkey.get(s.miner)!.rows.get(s.zpid)!.lie) ? "invalid" : "valid";
  const evidence: EvidenceEntry[][] = validators.map((v) =>
    sample.map((s) => ({
      ...s,
      outcome: v.liar?.votes[s.miner] ?? (prng.nextFloat() < v.blockRate ? "unknown" : truth(s)),
    }))
  );
  const perZipOf = (m: SimMiner) => {
    const perZip: Record<string, number> = {};
    for (const row of m.rows.values()) perZip[row.zip] = (perZip[row.zip] ?? 0) + 1;
    return perZip;
  };
  // The ZIPs' expected counts as calibration left them after the same cast worked the previous epoch.
  const reported = validatedPerZip(miners.map(perZipOf));
  const expectedPerZip = Object.fromEntries(
    ZIPS.map((z) => [z, recalibrate(WORLD.forSalePerZip, [reported[z] ?? 0], { maxStepPercent: 25 })]),
  );
  const views = new Map<string, ValidatorView>();
  validators.forEach((v, i) => {
    if (v.liar) return;
    const merged = mergeEvidence(sample, [evidence[i], ...evidence.filter((_, j) => j !== i)]);
    const tallies = tallyByMiner(merged);
    const result = scoreEpoch(
      miners.map((m) => {
        return {
          hotkey: m.hotkey,
          uid: null,
          zeroReason: null,
          receivedAtMs: START_MS + Math.min(...m.parts.map((p) => p.receivedMin)) * MINUTE_MS,
          spotChecks: tallies.get(m.hotkey) ?? { valid: 0, invalid: 0, unknown: 0 },
          completeness: m.completeness,
          uniqueValidPerZip: perZipOf(m),
        };
      }),
      {
        startMs: START_MS,
        deadlineMs: START_MS + WORLD.epochMinutes * MINUTE_MS,
        expectedPerZip,
        tolerancePercent: 10,
      },
      PARAMS,
    );
    views.set(v.hotkey, {
      weights: result.weights,
      reasons: Object.fromEntries(result.miners.map((m) => [m.hotkey, m.reason])),
    });
  });
  return views;
}
