/**
 * The localnet's drand beacon and its `--api-outage-at-boundary` (issue 18). The beacon (own key, 3-second
 * rounds) is served as a drand relay to every program, so every localnet run seals and syncs plans. The
 * outage stops the API before `epoch` starts, so nobody can have its assignment from the API or from a
 * validator's relay: every miner must open it from the sealed plan it synced earlier. The API comes back at
 * half the epoch, in time for uploads and receipts (uploads while the API is down need per-epoch policies
 * issued ahead and S3-timed receipts, not implemented: see the README's "Running without the API").
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

/** Stops the API 10 % of an epoch before `epoch` starts and restarts it at half of `epoch`. */
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
  }, at(epoch.start + length * 0.5));
}

/** The miners whose log shows they took `epochId`'s assignment from an opened sealed plan. */
export async function minersOnSealedPlans(dir: string, minerNames: readonly string[], epochId: string) {
  const out: string[] = [];
  for (const name of minerNames) {
    const log = await Deno.readTextFile(join(dir, "logs", `miner-${name}.log`)).catch(() => "");
    const opened = log.split("\n").some((line) =>
      line.includes("assignment opened from its sealed plan") && line.includes(`"epochId":"${epochId}"`)
    );
    if (opened) out.push(name);
  }
  return out;
}
