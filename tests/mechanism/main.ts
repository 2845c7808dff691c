/**
 * `deno task mechanism [--trials N] [--only text]`: the mechanism simulator's table (README, Scoring).
 * @module
 */
import { parseArgs } from "node:util";
import { formatTable, runScenario } from "./run.ts";
import { SCENARIOS } from "./scenarios.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { trials: { type: "string", default: "200" }, only: { type: "string" } },
});
const trials = Number(values.trials);
if (!Number.isSafeInteger(trials) || trials < 1) {
  throw new RangeError(`--trials "${values.trials}" is not a positive integer`);
}
const chosen = SCENARIOS.filter((s) => !values.only || s.name.includes(values.only));
const outcomes = chosen.map((s) => runScenario(s, trials));
console.log(`${trials} epochs per strategy and baseline\n`);
console.log(formatTable(outcomes));
