import { assert, assertEquals, assertNotEquals, assertThrows } from "../../../tests/assert.ts";
import { createPrng } from "../../prng.ts";
import {
  beaconPublicKey,
  decodeTle,
  encodeTle,
  type Rng,
  signRound,
  tlockDecrypt,
  TlockDecryptError,
  tlockEncrypt,
  TlockFormatError,
  verifyPulse,
} from "./mod.ts";

// Deterministic test randomness from the project PRNG; production passes crypto.getRandomValues.
function seededRng(seed: string): Rng {
  const prng = createPrng(seed);
  return (n) => Uint8Array.from({ length: n }, () => prng.nextU32() & 0xff);
}

const SECRET = new Uint8Array(32).fill(7);
const PUBLIC = beaconPublicKey(SECRET);
const MESSAGE = new TextEncoder().encode("uids 1,2 values 3,4");

Deno.test("a ciphertext to round n opens with the beacon's pulse of n and no other", () => {
  const ct = tlockEncrypt(PUBLIC, 42n, MESSAGE, seededRng("a"));
  assertEquals(tlockDecrypt(ct, signRound(SECRET, 42n).signature), MESSAGE);
  assertThrows(() => tlockDecrypt(ct, signRound(SECRET, 43n).signature), TlockDecryptError, "IBE check");
  const otherKey = new Uint8Array(32).fill(9);
  assertThrows(() => tlockDecrypt(ct, signRound(otherKey, 42n).signature), TlockDecryptError);
});

Deno.test("encryption is a function of the injected randomness", () => {
  const a = tlockEncrypt(PUBLIC, 5n, MESSAGE, seededRng("same"));
  assertEquals(a, tlockEncrypt(PUBLIC, 5n, MESSAGE, seededRng("same")));
  assertNotEquals(a, tlockEncrypt(PUBLIC, 5n, MESSAGE, seededRng("other")));
});

Deno.test("the ciphertext has the tle layout: 96 + 40 + 40 + body + cipher suite", () => {
  const ct = tlockEncrypt(PUBLIC, 1n, MESSAGE, seededRng("layout"));
  // body = Vec(AESOutput{ciphertext: Vec(msg + 16 tag), nonce: Vec(12)}), suite = Vec("AES_GCM_")
  assertEquals(ct.length, 96 + 40 + 40 + 8 + (8 + MESSAGE.length + 16) + (8 + 12) + 8 + 8);
  assertEquals(new TextDecoder().decode(ct.subarray(ct.length - 8)), "AES_GCM_");
  assertEquals(encodeTle(decodeTle(ct)), ct);
});

Deno.test("a tampered body, nonce or header fails closed with a reason", () => {
  const ct = tlockEncrypt(PUBLIC, 9n, MESSAGE, seededRng("tamper"));
  const sig = signRound(SECRET, 9n).signature;
  const flip = (at: number) => ct.map((b, i) => (i === at ? b ^ 1 : b));
  assertThrows(() => tlockDecrypt(flip(96 + 8 + 3), sig), TlockDecryptError); // V
  assertThrows(() => tlockDecrypt(flip(96 + 40 + 8 + 3), sig), TlockDecryptError); // W
  assertThrows(() => tlockDecrypt(flip(96 + 80 + 16 + 2), sig), TlockDecryptError, "AES-GCM"); // body
  assertThrows(() => tlockDecrypt(flip(5), sig), TlockFormatError, "header.u"); // U off the curve
  assertThrows(() => tlockDecrypt(ct.subarray(0, ct.length - 1), sig), TlockFormatError);
  assertThrows(() => tlockDecrypt(new Uint8Array([...ct, 0]), sig), TlockFormatError, "trailing");
  assertThrows(() => tlockDecrypt(ct, sig.subarray(1)), TlockFormatError, "signature");
});

Deno.test("a body length that claims more than the buffer is refused, not read past", () => {
  const ct = tlockEncrypt(PUBLIC, 9n, MESSAGE, seededRng("len"));
  const bad = ct.slice();
  new DataView(bad.buffer).setBigUint64(96 + 80, 1n << 40n, true);
  assertThrows(() => decodeTle(bad), TlockFormatError, "body");
});

Deno.test("a pulse verifies against its beacon key only, and only for its round", () => {
  const pulse = signRound(SECRET, 77n);
  assert(verifyPulse(PUBLIC, pulse));
  assert(!verifyPulse(PUBLIC, { ...pulse, round: 78n }));
  assert(!verifyPulse(beaconPublicKey(new Uint8Array(32).fill(8)), pulse));
  assert(!verifyPulse(PUBLIC, { ...pulse, signature: pulse.signature.subarray(2) }));
});
