// Volume counts only listings the subnet buys (issue 14): a padder adding real homes that are not for
// sale earns no more than the honest work it did, whether it reports their true status (no volume, no
// calibration) or claims them for sale (the comparison refuses the claim), through the simulator's real
// sampling, evidence, comparison, scoring and calibration code.
import { assert } from "../assert.ts";
import { runScenario } from "./run.ts";
import { SCENARIOS } from "./scenarios.ts";

for (const scenario of SCENARIOS.filter((s) => s.name.startsWith("padder"))) {
  Deno.test(`mechanism: ${scenario.name} earns no more than honest work`, () => {
    const outcome = runScenario(scenario, 20);
    assert(outcome.weightVsHonest <= 1, `${scenario.name}: ${outcome.weightVsHonest} of honest`);
    assert(outcome.fieldVsHonest >= 1 - 1e-9, `the honest field keeps its weight: ${outcome.fieldVsHonest}`);
    if (scenario.name.includes("claimed for sale")) {
      assert(outcome.detected === 1, `caught ${outcome.detected}`);
    }
  });
}
