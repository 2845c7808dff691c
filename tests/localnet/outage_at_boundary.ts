/**
 * The localnet's drand beacon and its `--api-outage-at-boundary` (issue 18). The beacon (own key, 3-second
 * rounds) is served as a drand relay to every program, so every localnet run seals and syncs plans. The
 * outage stops the API before `epoch` starts, so nobody can have its assignment from the API or from a
 * validator's relay: every miner must open it from the sealed plan it synced earlier. It stays down past
 * the epoch's submission deadline and its end, so every upload of the epoch goes through a policy issued
 * ahead (`miner/upload_policies.ts`) and earns its receipt from S3's write time (`api/outage_receipts.ts`);
 * it comes back a tenth of an epoch into the validation window, when validators read and judge.
 * @module
 */
import { join } from "node:path";
import type { Epoch } from "../../shared/epoch.ts";
import { formatBeacon } from "../../shared/drand_schedule.ts";
import { createTestBeacon, serveDrandRelay } from "./drand_relay.ts";
import type { createSupervisor } from "./processes.ts";

/** Starts the beacon's relay; `env` is what every program gets. */
export function startLocalBeacon(): { env: Record<string, string>; stop(): Promise<void> } {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  secret[0] &= 0x3f; // below the BLS12-381 group order
  const beacon = createTestBeacon(
    secret,
    { genesisTime: Math.floor(Date.now() / 1000) - 600, period: 3 },
    { now: () => new Date() },
  );
  const relay = serveDrandRelay(beacon);
  return { env: { DRAND_BEACON: formatBeacon(beacon.info), DRAND_RELAY_URLS: relay.url }, stop: relay.stop };
}

/** Stops the API 10 % of an epoch before `epoch` starts and restarts it 10 % of an epoch after its end. */
export function scheduleOutageAtBoundary(
  supervisor: ReturnType<typeof createSupervisor>,
  epoch: Epoch,
  onProgress: (line: string) => void,
): void {
  const at = (ms: number) => Math.max(0, ms - Date.now());
  const length = epoch.end - epoch.start;
  setTimeout(async () => {
    await supervisor.stop("api");
    onProgress(`API outage at the boundary: the API is down before ${epoch.id} starts`);
  }, at(epoch.start - length * 0.1));
  setTimeout(async () => {
    await supervisor.restart("api");
    onProgress("API outage over: the API is back");
  }, at(epoch.end + length * 0.1));
}

/** The miners whose log has a line with `message` for `epochId`. */
async function minersWhoseLogShows(
  dir: string,
  minerNames: readonly string[],
  message: string,
  epochId: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const name of minerNames) {
    const log = await Deno.readTextFile(join(dir, "logs", `miner-${name}.log`)).catch(() => "");
    if (log.split("\n").some((line) => line.includes(message) && line.includes(`"epochId":"${epochId}"`))) {
      out.push(name);
    }
  }
  return out;
}

/** The miners whose log shows they took `epochId`'s assignment from an opened sealed plan. */
export function minersOnSealedPlans(dir: string, minerNames: readonly string[], epochId: string) {
  return minersWhoseLogShows(dir, minerNames, "assignment opened from its sealed plan", epochId);
}

/** The miners whose log shows they uploaded `epochId` with a policy issued ahead. */
export function minersOnHeldPolicies(dir: string, minerNames: readonly string[], epochId: string) {
  return minersWhoseLogShows(dir, minerNames, "upload policy issued ahead used", epochId);
}

/** The hotkeys the API credited with receipts timed by S3 for `epochId` (its "outage receipts final" line). */
export async function outageCreditedHotkeys(dir: string, epochId: string): Promise<string[]> {
  const log = await Deno.readTextFile(join(dir, "logs", "api.log")).catch(() => "");
  for (const line of log.split("\n")) {
    if (!line.includes("outage receipts final") || !line.includes(`"epochId":"${epochId}"`)) continue;
    return (JSON.parse(line) as { hotkeys: string[] }).hotkeys;
  }
  return [];
}
