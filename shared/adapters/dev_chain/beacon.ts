/**
 * The local chain's drand stand-in: a beacon with its own BLS12-381 key that emits a quicknet-style pulse
 * (a G1 signature of sha256(round BE)) every `periodSeconds`, round 1 at genesis, on the injected clock.
 * Pulses are derived from the key when due rather than pushed by a process: the chain can read the pulse of
 * any round whose time has come and of no later round, which is what drand's schedule guarantees, and each
 * pulse verifies against the public key exactly as subtensor's drand pallet verifies quicknet.
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import {
  type BeaconInfo,
  beaconPublicKey,
  bytesToHex,
  hexToBytes,
  type Pulse,
  roundAt,
  signRound,
} from "../../chain/tlock/mod.ts";
import type { Clock } from "../../ports.ts";

/** What the chain file stores about its beacon (the secret stays in the dev chain's KV, like a dev seed). */
export interface LocalBeaconConfig {
  secretKeyHex: string;
  genesisTime: number;
  periodSeconds: number;
}

export const DEFAULT_BEACON_PERIOD_SECONDS = 3;

export interface LocalBeacon {
  /** The beacon's public parameters, as `Drand.BeaconConfig` reports them. */
  readonly info: BeaconInfo;
  /** The newest round emitted by now (`Drand.LastStoredRound`); 0 before genesis. */
  lastRound(): bigint;
  /** The pulse of `round`, or null when its time has not come (`Drand.Pulses(round)`). */
  pulse(round: bigint): Pulse | null;
}

/** A fresh beacon key for a new chain; `random` is crypto.getRandomValues in production. */
export function newBeaconConfig(
  random: (n: number) => Uint8Array,
  genesisMs: number,
  periodSeconds = DEFAULT_BEACON_PERIOD_SECONDS,
): LocalBeaconConfig {
  if (!(Number.isInteger(periodSeconds) && periodSeconds > 0)) {
    throw new RangeError(`beacon period "${periodSeconds}" must be a positive whole number of seconds`);
  }
  const secret = bls12_381.utils.randomSecretKey(random(48));
  return { secretKeyHex: bytesToHex(secret), genesisTime: Math.floor(genesisMs / 1000), periodSeconds };
}

export function createLocalBeacon(config: LocalBeaconConfig, clock: Clock): LocalBeacon {
  const secret = hexToBytes(config.secretKeyHex);
  const info: BeaconInfo = {
    publicKey: beaconPublicKey(secret),
    genesisTime: config.genesisTime,
    period: config.periodSeconds,
  };
  const lastRound = () => roundAt(info, clock.now().getTime() / 1000);
  const cache = new Map<bigint, Pulse>();
  return {
    info,
    lastRound,
    pulse(round) {
      if (round < 1n || round > lastRound()) return null;
      let p = cache.get(round);
      if (!p) {
        p = signRound(secret, round);
        if (cache.size > 4096) cache.clear();
        cache.set(round, p);
      }
      return p;
    },
  };
}
