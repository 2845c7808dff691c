/**
 * When a drand round is emitted, in milliseconds: round 1 at the beacon's genesis, one round per period
 * (quicknet: genesis 1692803367, 3 s; `QUICKNET` in shared/chain/tlock/). The sealed plans of
 * `sealed_plan.ts` are encrypted to the FIRST round emitted at or after a moment, so no pulse that opens
 * them exists before that moment.
 * @module
 */
import { type BeaconInfo, bytesToHex, hexToBytes, QUICKNET } from "./chain/tlock/drand.ts";

/** The part of a beacon that fixes its schedule. */
export type DrandSchedule = Pick<BeaconInfo, "genesisTime" | "period">;

/** Milliseconds since the Unix epoch at which `round` is emitted. */
export function roundTimeMs(schedule: DrandSchedule, round: bigint): number {
  if (round < 1n) throw new RangeError(`drand round ${round} does not exist (rounds start at 1)`);
  return (schedule.genesisTime + Number(round - 1n) * schedule.period) * 1000;
}

/** The first round emitted at or after `ms`. */
export function firstRoundAtOrAfter(schedule: DrandSchedule, ms: number): bigint {
  const genesisMs = schedule.genesisTime * 1000;
  if (ms <= genesisMs) return 1n;
  return BigInt(Math.ceil((ms - genesisMs) / (schedule.period * 1000))) + 1n;
}

/** `quicknet`, or a local beacon as `<G2 public key hex>@<genesis unix seconds>/<period seconds>`. */
export function parseBeacon(text: string): BeaconInfo {
  if (text === "quicknet") return QUICKNET;
  const match = /^([0-9a-f]{192})@(\d+)\/(\d+)$/.exec(text);
  if (!match || Number(match[3]) < 1) throw new SyntaxError(`Invalid drand beacon "${text}"`);
  return { publicKey: hexToBytes(match[1]), genesisTime: Number(match[2]), period: Number(match[3]) };
}

/** The knob spelling of a beacon (inverse of `parseBeacon`). */
export function formatBeacon(beacon: BeaconInfo): string {
  return `${bytesToHex(beacon.publicKey)}@${beacon.genesisTime}/${beacon.period}`;
}
