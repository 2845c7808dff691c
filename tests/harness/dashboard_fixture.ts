/**
 * A test network for the dashboard: three ended epochs and a running one in the test API's KV, two
 * validators' published verdicts on the first two ended epochs in the fake validator bucket (the third is
 * still awaiting reports), and two miners' progress in the running epoch. The verdicts carry the real
 * sampling seeds, and one zero reason quotes the running epoch's nonce, as a careless validator might, so
 * tests can prove the dashboard shows neither.
 * @module
 */
import { canonicalJson } from "../../shared/canonical_json.ts";
import { minerDataKey, OUTPUT_FILES, validatorKey } from "../../shared/s3_keys.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import { createTestApi, type TestApi } from "./api_harness.ts";
import type { EpochPlan } from "../../api/stores/epochs.ts";

const EPOCH_MS = 4 * 3600_000;
/** Half an hour into the first epoch of the fixture. */
const START_MS = Date.UTC(2025, 9, 1, 4, 30);
const CHEAT = "//zipmine/miner/cheat";

/** The seeded network and its handles. */
export interface DashboardFixture {
  t: TestApi;
  /** Ended epochs, oldest first: two judged, one awaiting reports. */
  ended: EpochPlan[];
  running: EpochPlan;
  cheat: string;
  /** Every nonce, seed and commitment of the fixture's epochs. */
  secrets: string[];
}

/** One miner's line in a verdict. */
interface Line {
  hotkey: string;
  uid: number;
  rank: number | null;
  score: number;
  weight: number;
  reason: string | null;
}

function report(plan: EpochPlan, validator: string, lines: Line[], at: string): ValidationReport {
  return {
    version: 1,
    epochId: plan.epochId,
    validatorHotkey: validator,
    generatedAt: at,
    seed: plan.samplingSeed,
    seedCommitment: plan.seedCommitment,
    config: { SPOT_CHECK_COUNT: 4 },
    miners: lines.map((l) => ({
      hotkey: l.hotkey,
      uid: l.uid,
      submittedAt: at,
      manifestSha256: "a".repeat(64),
      checks: [{ name: "schema", ok: true }, {
        name: "spot_checks",
        ok: l.score > 0,
        detail: "3 of 4 invalid",
      }],
      counts: { rows: 500, uniqueListings: 480 - l.uid, duplicates: 0, perZipcode: {} },
      spotChecks: [{ zpid: "2080000001", outcome: "valid" }],
      components: { speed: l.score, quality: l.score, volume: l.score },
      score: l.score,
      rank: l.rank,
      weight: l.weight,
      reason: l.reason,
    })),
    weights: Object.fromEntries(lines.map((l) => [l.hotkey, l.weight])),
    burn: { uid: 0, weight: 50_000 },
    evidenceSha256: ["b".repeat(64)],
  };
}

/** Builds the fixture; call `t.close()` at the end of the test. */
export async function createDashboardFixture(): Promise<DashboardFixture> {
  const t = await createTestApi({ startMs: START_MS, extraMiners: [CHEAT] });
  const ended: EpochPlan[] = [];
  for (let i = 0; i < 3; i++) {
    ended.push((await t.planner.current()).plan);
    await t.advance(EPOCH_MS);
  }
  const running = (await t.planner.current()).plan;
  const [a, b, cheat] = [t.pairs.miner.address, t.pairs.miner2.address, t.extraMiners[0].address];
  const bucket = t.config.S3_VALIDATOR_BUCKET;
  const validators = [t.pairs.validator.address, t.pairs.poorValidator.address];

  ended.slice(0, 2).forEach((plan, i) => {
    // The miners swap places in the second epoch; the cheat scores 0 both times.
    const [first, second] = i === 0 ? [a, b] : [b, a];
    // Real reasons quote object keys: long unbreakable words the page must wrap on a phone.
    const zero = i === 0
      ? `fabricated listings: 3 of 4 spot checks invalid (first in "${
        minerDataKey(cheat, plan.epochId, plan.zipcodes[0].zipcode, "listings.parquet")
      }")`
      : `stamp: rows carry another nonce than ${running.nonce}`;
    validators.forEach((validator, v) => {
      // The second validator saw a little more of the runner-up: its weights differ by 1 % of the total.
      const lines: Line[] = [
        { hotkey: first, uid: 1, rank: 1, score: 812_500, weight: 600_000 - v * 10_000, reason: null },
        { hotkey: second, uid: 2, rank: 2, score: 640_000, weight: 350_000 + v * 10_000, reason: null },
        { hotkey: cheat, uid: 4, rank: null, score: 0, weight: 0, reason: zero },
      ];
      const at = new Date(plan.endMs + 600_000 + v * 60_000).toISOString();
      const key = (name: string) => validatorKey(validator, plan.epochId, name);
      t.presigner.putObject(
        bucket,
        key(OUTPUT_FILES.report),
        canonicalJson(report(plan, validator, lines, at)),
      );
      t.presigner.putObject(
        bucket,
        key(OUTPUT_FILES.metadata),
        canonicalJson({
          epochId: plan.epochId,
          validatorHotkey: validator,
          zipcodes: plan.zipcodes.map((z) => z.zipcode),
          expectedListings: plan.totalExpected,
          validatedListings: Math.round(plan.totalExpected * (0.8 + i * 0.1)) - v,
          winners: lines.filter((l) => l.rank !== null).map((l) => ({
            hotkey: l.hotkey,
            rank: l.rank!,
            weight: l.weight,
          })),
          publishedAt: at,
        }),
      );
    });
  });

  const status = (pair: typeof t.pairs.miner, state: string, extra: Record<string, unknown>) =>
    t.postJson("/api/v1/zipcode-assignments/status", {
      hotkey: pair.address,
      signature: t.sign(pair, "status", { epochId: running.epochId, timestamp: t.nowS() }),
      timestamp: t.nowS(),
      epochId: running.epochId,
      nonce: running.nonce,
      status: state,
      ...extra,
    });
  for (
    const response of [
      await status(t.pairs.miner, "IN_PROGRESS", { listingsScraped: 120, zipcodesCompleted: [] }),
      await t.postCompleted(t.pairs.miner2, { epochId: running.epochId, nonce: running.nonce }),
    ]
  ) {
    if (response.status !== 200) throw new Error(`status report refused: ${await response.text()}`);
  }
  return {
    t,
    ended,
    running,
    cheat,
    secrets: [...ended, running].flatMap((p) => [p.nonce, p.samplingSeed, p.seedCommitment]),
  };
}
