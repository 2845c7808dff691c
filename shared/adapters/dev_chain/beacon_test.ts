import { assert, assertEquals, assertNotEquals, assertThrows } from "../../../tests/assert.ts";
import { tlockDecrypt, tlockEncrypt, verifyPulse } from "../../chain/tlock/mod.ts";
import { createLocalBeacon, newBeaconConfig } from "./beacon.ts";

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const GENESIS = Date.parse("2026-01-01T00:00:00Z");

Deno.test("the local beacon emits round 1 at genesis and one round per period, never a future one", () => {
  let now = GENESIS;
  const beacon = createLocalBeacon(newBeaconConfig(random, GENESIS, 3), { now: () => new Date(now) });
  assertEquals(beacon.lastRound(), 1n);
  assert(beacon.pulse(1n));
  assertEquals(beacon.pulse(2n), null);
  now += 3_000;
  assertEquals(beacon.lastRound(), 2n);
  assert(beacon.pulse(2n));
  now = GENESIS - 1;
  assertEquals(beacon.lastRound(), 0n);
  assertEquals(beacon.pulse(1n), null);
});

Deno.test("its pulses verify against its key (as the drand pallet checks) and open tlock ciphertexts", () => {
  let now = GENESIS;
  const beacon = createLocalBeacon(newBeaconConfig(random, GENESIS), { now: () => new Date(now) });
  const ct = tlockEncrypt(beacon.info.publicKey, 5n, Uint8Array.of(1, 2, 3), random);
  assertEquals(beacon.pulse(5n), null); // not yet: the commit stays sealed
  now += 4 * 3_000;
  const pulse = beacon.pulse(5n)!;
  assert(verifyPulse(beacon.info.publicKey, pulse));
  assertEquals(tlockDecrypt(ct, pulse.signature), Uint8Array.of(1, 2, 3));
});

Deno.test("each chain gets its own key; a bad period is refused", () => {
  const a = newBeaconConfig(random, GENESIS);
  const b = newBeaconConfig(random, GENESIS);
  assertNotEquals(a.secretKeyHex, b.secretKeyHex);
  const pa = createLocalBeacon(a, { now: () => new Date(GENESIS) }).pulse(1n)!;
  assert(!verifyPulse(createLocalBeacon(b, { now: () => new Date(GENESIS) }).info.publicKey, pa));
  assertThrows(() => newBeaconConfig(random, GENESIS, 0), RangeError);
  assertThrows(() => newBeaconConfig(random, GENESIS, 1.5), RangeError);
});
