import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import { SCALE } from "./fixed_point.ts";
import {
  compositeScore,
  type EpochFacts,
  fabricationReason,
  type MinerFacts,
  NOTHING_EARNED_REASON,
  qualityScore,
  scoreEpoch,
  type ScoringParams,
  speedScore,
  volumeScore,
  weightsByUid,
} from "./scoring.ts";
import { toU16Weights } from "./weights_u16.ts";

// A 100 s epoch, two ZIPs of 100 expected listings each, 10 % tolerance (cap 110 per ZIP).
const EPOCH: EpochFacts = {
  startMs: 1_000_000,
  deadlineMs: 1_100_000,
  expectedPerZip: { "10001": 100, "10002": 100 },
  tolerancePercent: 10,
};
const PARAMS: ScoringParams = {
  speedPercent: 40,
  qualityPercent: 40,
  volumePercent: 20,
  topShares: [50, 30, 15],
  participationPoolPercent: 5,
  burnPercent: 10,
  ownerUid: 0,
  minConclusiveChecks: 3,
};

function facts(hotkey: string, uid: number | null, over: Partial<MinerFacts> = {}): MinerFacts {
  return {
    hotkey,
    uid,
    zeroReason: null,
    receivedAtMs: EPOCH.startMs,
    spotChecks: { valid: 5, invalid: 0, unknown: 0 },
    completeness: SCALE,
    uniqueValidPerZip: { "10001": 100, "10002": 100 },
    ...over,
  };
}

// The worked example, every number by hand:
//   speed   = floor(earliness(t) * sum min(valid, 100) / 200), earliness(t) = floor((1_100_000 - t) * 1e6 /
//             100_000) (one delivery each); quality = completeness (no invalid check);
//   volume  = floor(1e6 * sum min(valid, 110) / 200), at most 1e6;
//   composite = floor((40 speed + 40 quality + 20 volume) / 100).
// A: t +10 s -> 900_000 * 200 / 200 = 900_000; 950_000; (110 + 100) / 200 -> 1_000_000;
//    (36e6 + 38e6 + 20e6) / 100 = 940_000
// B: t +40 s -> 600_000 * 150 / 200 = 450_000; 800_000 (2 unknown ignored); 150 / 200 = 750_000;
//    (18e6 + 32e6 + 15e6) / 100 = 650_000
// C: t +20 s -> 800_000 * 50 / 200 = 200_000; 1_000_000; 50 / 200 = 250_000; (8e6 + 40e6 + 5e6) / 100 = 530_000
// D: one invalid spot check -> 0
// E: t +90 s -> 100_000 * 40 / 200 = 20_000; 600_000; 40 / 200 = 200_000; (0.8e6 + 24e6 + 4e6) / 100 = 288_000
// F: t +95 s -> 50_000 * 20 / 200 = 5_000; 500_000; 20 / 200 = 100_000; (0.2e6 + 20e6 + 2e6) / 100 = 222_000
// Ranks A, B, C, E, F. burn 10 % = 100_000 to uid 0; base 900_000: A 450_000, B 270_000, C 135_000;
// pool 45_000 split 288_000 : 222_000 -> 25_411.76 and 19_588.23: floors 25_411 + 19_588, the leftover
// unit to the larger remainder (E) -> 25_412 and 19_588. Total 1_000_000.
const WORKED: MinerFacts[] = [
  facts("5A", 1, {
    receivedAtMs: 1_010_000,
    completeness: 950_000,
    uniqueValidPerZip: { "10001": 120, "10002": 100 },
  }),
  facts("5B", 2, {
    receivedAtMs: 1_040_000,
    spotChecks: { valid: 3, invalid: 0, unknown: 2 },
    completeness: 800_000,
    uniqueValidPerZip: { "10001": 90, "10002": 60 },
  }),
  facts("5C", 3, { receivedAtMs: 1_020_000, uniqueValidPerZip: { "10001": 50 } }),
  facts("5D", 4, { receivedAtMs: 1_030_000, spotChecks: { valid: 4, invalid: 1, unknown: 0 } }),
  facts("5E", 5, { receivedAtMs: 1_090_000, completeness: 600_000, uniqueValidPerZip: { "10002": 40 } }),
  facts("5F", 6, { receivedAtMs: 1_095_000, completeness: 500_000, uniqueValidPerZip: { "10001": 20 } }),
];

Deno.test("scoreEpoch() worked example: exact components, ranks and weights", () => {
  const result = scoreEpoch(WORKED, EPOCH, PARAMS);
  const row = (m: (typeof result.miners)[number]) => [
    m.hotkey,
    m.components.speed,
    m.components.quality,
    m.components.volume,
    m.score,
    m.rank,
    m.weight,
  ];
  assertEquals(result.miners.map(row), [
    ["5A", 900_000, 950_000, 1_000_000, 940_000, 1, 450_000],
    ["5B", 450_000, 800_000, 750_000, 650_000, 2, 270_000],
    ["5C", 200_000, 1_000_000, 250_000, 530_000, 3, 135_000],
    ["5E", 20_000, 600_000, 200_000, 288_000, 4, 25_412],
    ["5F", 5_000, 500_000, 100_000, 222_000, 5, 19_588],
    ["5D", 0, 0, 0, 0, null, 0],
  ]);
  assertEquals(result.miners[5].reason, "fabricated listing confirmed: 1 spot check invalid");
  assertEquals(result.owner, { uid: 0, weight: 100_000 });
  assertEquals(result.weights, {
    "5A": 450_000,
    "5B": 270_000,
    "5C": 135_000,
    "5E": 25_412,
    "5F": 19_588,
    "5D": 0,
  });
  const uidWeights = weightsByUid(result);
  assertEquals(uidWeights.reduce((a, b) => a + b.weight, 0), SCALE);
  // u16: round(w * 65535 / 450_000), half to even (135_000 -> 19_660.5 -> 19_660); uid 4 dropped.
  assertEquals(toU16Weights(uidWeights), {
    uids: [0, 1, 2, 3, 5, 6],
    weights: [14_563, 65_535, 39_321, 19_660, 3_701, 2_853],
  });
});

Deno.test("scoreEpoch() does not depend on the order of the miners", () => {
  const forward = scoreEpoch(WORKED, EPOCH, PARAMS);
  assertEquals(scoreEpoch(WORKED.toReversed(), EPOCH, PARAMS), forward);
  assertEquals(
    scoreEpoch([WORKED[3], WORKED[5], WORKED[0], WORKED[2], WORKED[4], WORKED[1]], EPOCH, PARAMS),
    forward,
  );
});

Deno.test("scoreEpoch() zeroes a miner with a zero reason or any invalid spot check", () => {
  const result = scoreEpoch(
    [
      facts("5a", 1, { zeroReason: "nonce missing or wrong in 3 rows" }),
      facts("5b", 2, { spotChecks: { valid: 99, invalid: 2, unknown: 0 } }),
      facts("5c", 3, { zeroReason: "late upload", spotChecks: { valid: 0, invalid: 1, unknown: 0 } }),
      facts("5d", 4),
    ],
    EPOCH,
    PARAMS,
  );
  const zeroed = result.miners.filter((m) => m.hotkey !== "5d");
  for (const m of zeroed) {
    assertEquals([m.components, m.score, m.rank, m.weight], [
      { speed: 0, quality: 0, volume: 0 },
      0,
      null,
      0,
    ]);
  }
  assertEquals(zeroed.map((m) => m.reason), [
    "nonce missing or wrong in 3 rows",
    fabricationReason(2),
    "late upload",
  ]);
  assertEquals(result.miners[0].hotkey, "5d");
  assertEquals([result.miners[0].score, result.miners[0].rank, result.miners[0].weight], [SCALE, 1, 450_000]);
});

Deno.test("scoreEpoch() ranks ties by earlier receipt, then hotkey; no receipt goes last", () => {
  const result = scoreEpoch(
    [
      // 880_000 each: y at the start with quality 0.7, b at +20 s (speed 0.8) with quality 0.9.
      facts("5b", 1, { receivedAtMs: 1_020_000, completeness: 900_000 }),
      facts("5y", 2, { receivedAtMs: 1_000_000, completeness: 700_000 }),
      // 800_000 each, same receipt: the smaller hotkey first.
      facts("5q", 3, { receivedAtMs: 1_050_000 }),
      facts("5p", 4, { receivedAtMs: 1_050_000 }),
      // 600_000 each: speed 0 at the deadline, and speed 0 without a receipt, which ranks after it.
      facts("5c", 5, { receivedAtMs: null }),
      facts("5z", 6, { receivedAtMs: EPOCH.deadlineMs }),
    ],
    EPOCH,
    { ...PARAMS, burnPercent: 0, ownerUid: null },
  );
  assertEquals(result.miners.map((m) => [m.hotkey, m.score, m.rank, m.weight]), [
    ["5y", 880_000, 1, 500_000],
    ["5b", 880_000, 2, 300_000],
    ["5p", 800_000, 3, 150_000],
    // pool 50_000 split 800_000 : 600_000 : 600_000 = 20_000, 15_000, 15_000.
    ["5q", 800_000, 4, 20_000],
    ["5z", 600_000, 5, 15_000],
    ["5c", 600_000, 6, 15_000],
  ]);
});

Deno.test("scoreEpoch() leaves missing ranks, an empty pool and a burn without owner unassigned", () => {
  const two = scoreEpoch([facts("5a", 1), facts("5b", 2, { receivedAtMs: 1_050_000 })], EPOCH, {
    ...PARAMS,
    ownerUid: null,
  });
  assertEquals(two.weights, { "5a": 450_000, "5b": 270_000 });
  assertEquals(two.owner, null);
  assertEquals(weightsByUid(two), [{ uid: 1, weight: 450_000 }, { uid: 2, weight: 270_000 }]);

  const none = scoreEpoch([facts("5a", 1, { zeroReason: "no submission" })], EPOCH, {
    ...PARAMS,
    burnPercent: 0,
  });
  assertEquals(weightsByUid(none), [{ uid: 0, weight: 0 }, { uid: 1, weight: 0 }]);
  assertEquals(toU16Weights(weightsByUid(none)), { uids: [], weights: [] });
});

Deno.test("scoreEpoch() gives a miner that earned nothing no rank and says why", () => {
  const result = scoreEpoch(
    [
      facts("5a", 1, { receivedAtMs: EPOCH.deadlineMs, completeness: 0, uniqueValidPerZip: {} }),
    ],
    EPOCH,
    PARAMS,
  );
  assertEquals([result.miners[0].score, result.miners[0].rank, result.miners[0].reason], [
    0,
    null,
    NOTHING_EARNED_REASON,
  ]);
});

Deno.test("scoreEpoch() refuses malformed facts and knobs", () => {
  assertThrows(() => scoreEpoch([facts("5a", 1), facts("5a", 2)], EPOCH, PARAMS), RangeError, "twice");
  assertThrows(() => scoreEpoch([facts("5a", 1), facts("5b", 1)], EPOCH, PARAMS), RangeError, "twice");
  assertThrows(
    () => scoreEpoch([facts("5a", 1)], EPOCH, { ...PARAMS, volumePercent: 30 }),
    RangeError,
    "sum",
  );
  assertThrows(() => scoreEpoch([facts("5a", 1)], EPOCH, { ...PARAMS, topShares: [60, 30, 15] }), RangeError);
  assertThrows(() => scoreEpoch([facts("5a", 1, { completeness: SCALE + 1 })], EPOCH, PARAMS), RangeError);
  assertThrows(() => scoreEpoch([facts("5a", 1, { receivedAtMs: 1.5 })], EPOCH, PARAMS), RangeError);
  assertThrows(() => scoreEpoch([], { ...EPOCH, deadlineMs: EPOCH.startMs }, PARAMS), RangeError);
  assertThrows(
    () => scoreEpoch([facts("5a", 1, { uniqueValidPerZip: { "10001": -1 } })], EPOCH, PARAMS),
    RangeError,
  );
});

// The README's worked example (Scoring, "speed per listing delivered"): a 225-minute upload window, ten
// ZIPs of 100 listings, quality 0.68 for everyone (all checks valid, completeness 0.68).
Deno.test("scoreEpoch() pays speed per listing delivered: one fast ZIP < complete at 2 h < complete at 1 h", () => {
  const start = 1_759_334_400_000;
  const minute = 60_000;
  const epoch: EpochFacts = {
    startMs: start,
    deadlineMs: start + 225 * minute,
    expectedPerZip: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`770${i}0`, 100])),
    tolerancePercent: 10,
  };
  const zips = Object.keys(epoch.expectedPerZip);
  const all = Object.fromEntries(zips.map((z) => [z, 100]));
  const miner = (hotkey: string, uid: number, at: number, perZip: Record<string, number>) =>
    facts(hotkey, uid, {
      receivedAtMs: start + at * minute,
      completeness: 680_000,
      uniqueValidPerZip: perZip,
    });
  const result = scoreEpoch(
    [
      miner("5fast", 1, 2, { [zips[0]]: 100 }),
      miner("5slow", 2, 120, all),
      miner("5hour", 3, 60, all),
    ],
    epoch,
    { ...PARAMS, burnPercent: 0 },
  );
  const by = Object.fromEntries(result.miners.map((m) => [m.hotkey, m]));
  // fast: earliness floor(223 / 225 * 1e6) = 991_111, on 100 of 1000 listings -> 99_111; volume 0.1.
  assertEquals(by["5fast"].components, { speed: 99_111, quality: 680_000, volume: 100_000 });
  assertEquals(by["5fast"].score, 331_644);
  // 2 h: 105 / 225 -> 466_666; 1 h: 165 / 225 -> 733_333, each on everything.
  assertEquals([by["5slow"].components.speed, by["5slow"].score], [466_666, 658_666]);
  assertEquals([by["5hour"].components.speed, by["5hour"].score], [733_333, 765_333]);
  assertEquals(result.miners.map((m) => m.hotkey), ["5hour", "5slow", "5fast"]);
  // The same delivery in parts earns each part's earliness: 4 ZIPs at 20 min, 4 at 40, 2 at 60.
  const parts = scoreEpoch(
    [{
      ...miner("5parts", 4, 20, all),
      deliveries: [
        {
          receivedAtMs: start + 40 * minute,
          uniqueValidPerZip: Object.fromEntries(zips.slice(4, 8).map((z) => [z, 100])),
        },
        {
          receivedAtMs: start + 20 * minute,
          uniqueValidPerZip: Object.fromEntries(zips.slice(0, 4).map((z) => [z, 100])),
        },
        {
          receivedAtMs: start + 60 * minute,
          uniqueValidPerZip: Object.fromEntries(zips.slice(8).map((z) => [z, 100])),
        },
      ],
    }],
    epoch,
    { ...PARAMS, burnPercent: 0 },
  );
  // (400 * 911_111 + 400 * 822_222 + 200 * 733_333) / 1000 = 839_999.
  assertEquals(parts.miners[0].components.speed, 839_999);
});

Deno.test("scoreEpoch() credits a listing once, to its earliest delivery, and never past expected", () => {
  const early = { receivedAtMs: 1_010_000, uniqueValidPerZip: { "10001": 60, "99999": 500 } };
  const late = { receivedAtMs: 1_050_000, uniqueValidPerZip: { "10001": 80, "10002": 100 } };
  const result = scoreEpoch([facts("5a", 1, { deliveries: [late, early] })], EPOCH, PARAMS);
  // 10001: 60 at 900_000, then 40 (up to expected 100) at 500_000; 10002: 100 at 500_000; 99999 unassigned.
  assertEquals(result.miners[0].components.speed, (60 * 900_000 + 40 * 500_000 + 100 * 500_000) / 200);
});

Deno.test("scoreEpoch() keeps a miner with too few conclusive checks out of the top shares", () => {
  const result = scoreEpoch(
    [
      facts("5blocked", 1, { receivedAtMs: EPOCH.startMs, spotChecks: { valid: 2, invalid: 0, unknown: 8 } }),
      facts("5checked", 2, { receivedAtMs: 1_050_000 }),
    ],
    EPOCH,
    { ...PARAMS, burnPercent: 0 },
  );
  assertEquals(result.miners.map((m) => [m.hotkey, m.rank, m.weight]), [
    ["5checked", 1, 500_000],
    ["5blocked", 2, 50_000], // the whole pool, not the second share
  ]);
});

Deno.test("speedScore() is linear from 1 at the epoch start to 0 at the deadline, clamped", () => {
  assertEquals(speedScore(1_000_000, 1_000_000, 1_100_000), SCALE);
  assertEquals(speedScore(900_000, 1_000_000, 1_100_000), SCALE);
  assertEquals(speedScore(1_050_000, 1_000_000, 1_100_000), 500_000);
  assertEquals(speedScore(1_033_333, 1_000_000, 1_100_000), 666_670);
  assertEquals(speedScore(1_100_000, 1_000_000, 1_100_000), 0);
  assertEquals(speedScore(2_000_000, 1_000_000, 1_100_000), 0);
  assertEquals(speedScore(null, 1_000_000, 1_100_000), 0);
});

Deno.test("qualityScore(): unknown checks never count; no conclusive check is neutral", () => {
  assertEquals(qualityScore({ valid: 3, invalid: 0, unknown: 7 }, 900_000), 900_000);
  assertEquals(qualityScore({ valid: 0, invalid: 0, unknown: 10 }, 900_000), 900_000);
  assertEquals(qualityScore({ valid: 2, invalid: 1, unknown: 5 }, 900_000), 599_999);
});

Deno.test("volumeScore() caps each ZIP at expected + tolerance and ignores unassigned ZIPs", () => {
  const expected = { "10001": 100, "10002": 100 };
  assertEquals(volumeScore({ "10001": 500, "99999": 10_000 }, expected, 10), 550_000);
  assertEquals(volumeScore({ "10001": 150, "10002": 150 }, expected, 10), SCALE);
  assertEquals(volumeScore({ "10001": 150, "10002": 50 }, expected, 0), 750_000);
  assertEquals(volumeScore({}, expected, 10), 0);
  assertEquals(volumeScore({ "10001": 5 }, {}, 10), 0);
});

Deno.test("compositeScore() floors once over the weighted sum", () => {
  const p = { speedPercent: 40, qualityPercent: 40, volumePercent: 20 };
  assertEquals(compositeScore({ speed: 1, quality: 1, volume: 1 }, p), 1);
  assertEquals(compositeScore({ speed: SCALE, quality: SCALE, volume: SCALE }, p), SCALE);
  assert(compositeScore({ speed: 999_999, quality: 999_999, volume: 0 }, p) === 799_999);
});
