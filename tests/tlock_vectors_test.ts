// CRv4 vectors from independent sources (tests/vectors/tlock.json; provenance per case and in
// tests/vectors/README.md), and a live two-way cross-check against the reference implementation.
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { oracleDecrypt, oracleEncrypt } from "./harness/tlock_oracle.ts";
import {
  beaconPublicKey,
  bytesToHex,
  decodePayload,
  encodePayload,
  hexToBytes,
  pulseRandomness,
  QUICKNET,
  revealRound,
  roundMessage,
  signRound,
  tlockDecrypt,
  TlockDecryptError,
  tlockEncrypt,
  verifyPulse,
} from "../shared/chain/tlock/mod.ts";

interface Case<I, E> {
  name: string;
  source: string;
  input: I;
  expected: E;
}
const V = JSON.parse(await Deno.readTextFile(new URL("./vectors/tlock.json", import.meta.url))) as {
  pulses: Case<
    { publicKey: string; round: number; signature: string },
    { valid: boolean; randomness?: string }
  >[];
  payloads: Case<
    { hotkey: string; uids: number[]; values: number[]; versionKey: number },
    { scale: string }
  >[];
  ciphertexts: Case<
    { publicKey: string; encryptedToRound: number; ciphertext: string; signature: string },
    { plaintext?: string; error?: string }
  >[];
  revealRounds: Case<
    {
      nowSeconds: number;
      tempo: number;
      currentBlock: number;
      netuid: number;
      revealPeriodEpochs: number;
      blockTimeSeconds: number;
    },
    { revealRound: number }
  >[];
};

for (const c of V.pulses) {
  Deno.test(`pulse vector: ${c.name}`, () => {
    const pulse = { round: BigInt(c.input.round), signature: hexToBytes(c.input.signature) };
    assertEquals(verifyPulse(hexToBytes(c.input.publicKey), pulse), c.expected.valid);
    if (c.expected.randomness) {
      assertEquals(bytesToHex(pulseRandomness(pulse.signature)), c.expected.randomness);
    }
  });
}

for (const c of V.payloads) {
  Deno.test(`payload vector: ${c.name}`, () => {
    const p = { ...c.input, hotkey: hexToBytes(c.input.hotkey), versionKey: BigInt(c.input.versionKey) };
    assertEquals(bytesToHex(encodePayload(p)), c.expected.scale);
    assertEquals(decodePayload(hexToBytes(c.expected.scale)), p);
  });
}

for (const c of V.ciphertexts) {
  Deno.test(`reference ciphertext: ${c.name}`, () => {
    const ct = hexToBytes(c.input.ciphertext);
    const sig = hexToBytes(c.input.signature);
    if (c.expected.plaintext !== undefined) {
      assertEquals(bytesToHex(tlockDecrypt(ct, sig)), c.expected.plaintext);
    } else {
      assertThrows(() => tlockDecrypt(ct, sig), TlockDecryptError);
    }
  });
}

for (const c of V.revealRounds) {
  Deno.test(`reveal round vector: ${c.name}`, () => {
    const plan = revealRound({ ...c.input, genesisTime: QUICKNET.genesisTime, period: QUICKNET.period });
    assertEquals(plan.revealRound, BigInt(c.expected.revealRound));
  });
}

const SIG_1000 = hexToBytes(V.pulses[0].input.signature);
const rng = (n: number) => crypto.getRandomValues(new Uint8Array(n));

Deno.test("oracle: the reference decrypts our quicknet ciphertexts, for short and long messages", () => {
  for (const size of [0, 1, 37, 4096]) {
    const message = rng(size);
    const ours = tlockEncrypt(QUICKNET.publicKey, 1000n, message, rng);
    assertEquals(oracleDecrypt(ours, SIG_1000), message);
  }
});

Deno.test("oracle: we decrypt the reference's ciphertexts, and both refuse the wrong round", () => {
  const message = encodePayload({ hotkey: rng(32), uids: [0, 5, 9], values: [65535, 1, 0], versionKey: 7n });
  const theirs = oracleEncrypt(roundMessage(1000n), message, rng(32), QUICKNET.publicKey);
  assertEquals(tlockDecrypt(theirs, SIG_1000), message);
  const ours1001 = tlockEncrypt(QUICKNET.publicKey, 1001n, message, rng);
  assertThrows(() => oracleDecrypt(ours1001, SIG_1000));
  assertThrows(() =>
    tlockDecrypt(oracleEncrypt(roundMessage(1001n), message, rng(32), QUICKNET.publicKey), SIG_1000)
  );
});

Deno.test("oracle: agreement holds under another beacon key (a local beacon)", () => {
  const secret = rng(32);
  secret[0] &= 0x3f; // below the group order
  const pk = beaconPublicKey(secret);
  const sig = signRound(secret, 123n).signature;
  const message = rng(64);
  assertEquals(oracleDecrypt(tlockEncrypt(pk, 123n, message, rng), sig), message);
  assertEquals(tlockDecrypt(oracleEncrypt(roundMessage(123n), message, rng(32), pk), sig), message);
  assert(verifyPulse(pk, { round: 123n, signature: sig }));
});
