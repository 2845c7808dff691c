// setDueWeights records when weights last landed, for the ZipmineValidatorWeightsNotSet alert
// (api/alerts/zipmine.rules.yml): the gauge moves only on a success.
import { assertEquals } from "../tests/assert.ts";
import { createLogger } from "../shared/log.ts";
import { createRegistry } from "../shared/metrics.ts";
import type { ChainAdapter, SetWeightsResult } from "../shared/ports.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import { createKeyring, cryptoReady } from "../shared/signature.ts";
import { setDueWeights, type WeightsDeps } from "./weights.ts";

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
    log: createLogger({ sink: () => {}, now: () => new Date(DUE_AT) }),
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
