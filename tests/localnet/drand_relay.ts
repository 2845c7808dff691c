/**
 * A local drand beacon served as a drand HTTP relay (`GET /public/{round}` answering `{round, signature,
 * randomness}`, 404 before the round is due), for the localnet's `--api-outage-at-boundary` and tests. Its
 * own BLS12-381 key signs quicknet-style rounds (`signRound`); `formatBeacon(beacon.info)` is the
 * DRAND_BEACON knob the programs get. (The tlock helper's dev-chain beacon can replace the key handling
 * once it is on main; the HTTP face stays.)
 * @module
 */
import {
  type BeaconInfo,
  beaconPublicKey,
  bytesToHex,
  type Pulse,
  pulseRandomness,
  signRound,
} from "../../shared/chain/tlock/drand.ts";
import { roundTimeMs } from "../../shared/drand_schedule.ts";
import type { Clock } from "../../shared/ports.ts";

/** A beacon whose pulses exist only once their round is due on `clock`. */
export interface TestBeacon {
  info: BeaconInfo;
  pulse(round: bigint): Pulse | null;
}

/** A beacon with `secretKey` (32 bytes), `period` seconds from `genesisTime` (unix seconds). */
export function createTestBeacon(
  secretKey: Uint8Array,
  schedule: { genesisTime: number; period: number },
  clock: Clock,
): TestBeacon {
  const info = { publicKey: beaconPublicKey(secretKey), ...schedule };
  return {
    info,
    pulse: (
      round,
    ) => (round >= 1n && roundTimeMs(info, round) <= clock.now().getTime()
      ? signRound(secretKey, round)
      : null),
  };
}

/** Serves `beacon` as a drand relay on 127.0.0.1 (port 0: any); returns its base URL and a stop. */
export function serveDrandRelay(beacon: TestBeacon, port = 0): { url: string; stop(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
    const match = /^\/public\/(\d{1,20})$/.exec(new URL(req.url).pathname);
    if (!match) return new Response("not found", { status: 404 });
    const pulse = beacon.pulse(BigInt(match[1]));
    if (!pulse) return new Response("round not yet available", { status: 404 });
    return Response.json({
      round: Number(pulse.round),
      signature: bytesToHex(pulse.signature),
      randomness: bytesToHex(pulseRandomness(pulse.signature)),
    });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}
