// setDueWeights records when weights last landed, for the ZipmineValidatorWeightsNotSet alert
// (api/alerts/zipmine.rules.yml): the gauge moves only on a success.
import { assertEquals } from "../tests/assert.ts";
import { createLogger } from "../shared/log.ts";
import { createRegistry } from "../shared/metrics.ts";
import type { ChainAdapter, SetWeightsResult, WeightVector } from "../shared/ports.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import { createKeyring, cryptoReady } from "../shared/signature.ts";
import { reportToU16, setDueWeights, type WeightsDeps } from "./weights.ts";

const EPOCH_OPTIONS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };
const DUE_AT = Date.UTC(2025, 9, 2, 0, 30); // the weights of 2025-10-01T16-00-00 are due from 00:00
const GAUGE = "zipmine_validator_last_weights_timestamp_seconds";

async function depsWith(answers: SetWeightsResult[]): Promise<WeightsDeps> {
  await cryptoReady();
  const report = { miners: [{ uid: 1, weight: 1 }], burn: null } as unknown as ValidationReport;
  return {
    chain: { setWeights: () => Promise.resolve(answers.shift()!) } as unknown as ChainAdapter,
    netuid: 46,
    pair: createKeyring().addFromUri("//zipmine/validator/weights-test"),
    epochOptions: EPOCH_OPTIONS,
    reportOf: (id) => Promise.resolve(id === "2025-10-01T16-00-00" ? report : null),
    log: createLogger({ sink: () => {}, clock: { now: () => new Date(DUE_AT) } }),
    metrics: createRegistry(),
  };
}

Deno.test("a successful weight setting stamps zipmine_validator_last_weights_timestamp_seconds", async () => {
  const deps = await depsWith([{ ok: true, block: 10, mode: "set" }, {
    ok: true,
    block: 20,
    mode: "commit",
  }]);
  await setDueWeights(deps, DUE_AT);
  assertEquals(deps.metrics.gauge(GAUGE, "").get(), DUE_AT / 1000);
  await setDueWeights(deps, DUE_AT + 4_320_500);
  assertEquals(deps.metrics.gauge(GAUGE, "").get(), DUE_AT / 1000 + 4320);
});

Deno.test("a refused or impossible weight setting leaves the timestamp alone", async () => {
  const deps = await depsWith([
    { ok: true, block: 10, mode: "set" },
    { ok: false, error: "SettingWeightsTooFast" },
  ]);
  assertEquals(await setDueWeights(deps, Date.UTC(2025, 9, 1, 12)), null); // epoch index < 2: nothing due
  assertEquals(deps.metrics.gauge(GAUGE, "").get(), undefined);
  await setDueWeights(deps, DUE_AT);
  const refused = await setDueWeights(deps, DUE_AT + 60_000);
  assertEquals(refused?.ok, false);
  assertEquals(deps.metrics.gauge(GAUGE, "").get(), DUE_AT / 1000);
  assertEquals(
    deps.metrics.counter("zipmine_validator_weights_total", "").get({ outcome: "SettingWeightsTooFast" }),
    1,
  );
});

/** A report of the given verdicts (uid, weight) and burn; the rest of each verdict is irrelevant here. */
function reportOf(miners: { uid: number | null; weight: number }[], burn: ValidationReport["burn"]) {
  return { miners, burn } as unknown as ValidationReport;
}

Deno.test("reportToU16() puts each paid uid and the burn on the u16 scale, largest = 65535", () => {
  // Weights in millionths: uid 7 earns 0.4, uid 2 0.1, uid 9 0.2 (as two verdicts of one uid), a
  // verdict without a uid and a zero are dropped, the owner (uid 0) burns 0.3.
  const report = reportOf([
    { uid: 7, weight: 400_000 },
    { uid: 2, weight: 100_000 },
    { uid: null, weight: 50_000 },
    { uid: 5, weight: 0 },
    { uid: 9, weight: 150_000 },
    { uid: 9, weight: 50_000 },
  ], { uid: 0, weight: 300_000 });
  // By hand: v = round(w * 65535 / 400000): 0.3 -> 49151.25 -> 49151, 0.1 -> 16383.75 -> 16384,
  // 0.4 -> 65535, 0.2 -> 32767.5 -> 32768 (half to even).
  assertEquals(reportToU16(report), { uids: [0, 2, 7, 9], weights: [49_151, 16_384, 65_535, 32_768] });
});

Deno.test("reportToU16() adds the burn to a miner that is also the owner's uid and sets nothing when all is 0", () => {
  const shared = reportOf([{ uid: 3, weight: 250_000 }, { uid: 4, weight: 500_000 }], {
    uid: 3,
    weight: 250_000,
  });
  assertEquals(reportToU16(shared), { uids: [3, 4], weights: [65_535, 65_535] });
  assertEquals(reportToU16(reportOf([{ uid: 1, weight: 0 }], { uid: 0, weight: 0 })), {
    uids: [],
    weights: [],
  });
  assertEquals(reportToU16(reportOf([{ uid: 1, weight: 0 }], null)), { uids: [], weights: [] });
});

Deno.test("setDueWeights() hands the chain exactly the report's u16 vector", async () => {
  const deps = await depsWith([]);
  const sent: WeightVector[] = [];
  deps.chain = {
    setWeights: (_netuid: number, payload: WeightVector) => {
      sent.push(payload);
      return Promise.resolve({ ok: true, block: 1, mode: "set" });
    },
  } as unknown as ChainAdapter;
  const report = reportOf([{ uid: 1, weight: 600_000 }, { uid: 4, weight: 200_000 }], {
    uid: 0,
    weight: 200_000,
  });
  deps.reportOf = (id) => Promise.resolve(id === "2025-10-01T16-00-00" ? report : null);
  await setDueWeights(deps, DUE_AT);
  // 0.2 / 0.6 * 65535 = 21845 exactly.
  assertEquals(sent, [{ uids: [0, 1, 4], weights: [21_845, 65_535, 21_845] }]);
});
