/**
 * The subnet owner's switches, written straight into the API's KV (KV_PATH, or the deployed database's
 * connect URL with DENO_KV_ACCESS_TOKEN set):
 *
 *     deno task admin pause [reason...]   halt the network: /current answers 503 "paused"
 *     deno task admin resume              hand out assignments again
 *     deno task admin status              show the switch and the latest epoch plans
 * @module
 */
import { ConfigError } from "../shared/config.ts";
import { parseAdminConfig } from "./config.ts";
import { openApiKv } from "./open_kv.ts";
import { pauseState, setPaused } from "./stores/control.ts";
import { recentPlans } from "./stores/epochs.ts";

const USAGE = "Usage: deno task admin pause [reason...] | resume | status";

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!["pause", "resume", "status"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const { KV_PATH } = parseAdminConfig(Deno.env.toObject());
  const kv = await openApiKv(KV_PATH);
  try {
    if (command === "pause" || command === "resume") {
      const state = await setPaused(kv, command === "pause", Date.now(), rest.join(" "));
      console.log(state.paused ? `paused: ${state.reason || "(no reason given)"}` : "resumed");
      return 0;
    }
    const state = await pauseState(kv);
    console.log(
      state.paused ? `paused since ${new Date(state.changedAtMs).toISOString()}: ${state.reason}` : "running",
    );
    for (const plan of await recentPlans(kv, 6, Date.now())) {
      console.log(
        `${plan.epochId}  ${plan.zipcodes.length} ZIPs  expected ${plan.totalExpected}${
          plan.targetMissed ? "  TARGET MISSED" : ""
        }`,
      );
    }
    return 0;
  } finally {
    kv.close();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    Deno.exit(1);
  }
}
