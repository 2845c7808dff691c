/**
 * Writes tests/vectors/tlock.json. Pulses are copied from subtensor's drand pallet tests; ciphertexts are
 * made by the REFERENCE implementation (the wasm oracle), never by ours, so tests/tlock_vectors_test.ts checks
 * our decryption against data we did not produce. The reference encrypts with fresh randomness, so a rerun
 * gives other (equally valid) ciphertexts. The reveal-round cases come from generate_tlock_reveal.py, which
 * runs bittensor-drand's own Python reference formula (see tests/vectors/README.md).
 *   deno run -A tests/vectors/generate_tlock.ts <reveal_cases.json>
 */
import { oracleEncrypt } from "../harness/tlock_oracle.ts";
import {
  bytesToHex,
  encodePayload,
  hexToBytes,
  QUICKNET,
  roundMessage,
} from "../../shared/chain/tlock/mod.ts";

const SUBTENSOR = "opentensor/subtensor@14bc6f9f964b9cc362e9635dd110a487fa5d15a0";
const ROUND_1000_SIG =
  "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
const pk = bytesToHex(QUICKNET.publicKey);
const key = () => crypto.getRandomValues(new Uint8Array(32));

// AccountId U256::from(1).encode() in subtensor's mock runtime: 32 bytes little-endian.
const hotkey1 = new Uint8Array(32);
hotkey1[0] = 1;
const payload = encodePayload({ hotkey: hotkey1, uids: [0, 1], values: [10, 20], versionKey: 0n });

const ciphertext = (
  name: string,
  source: string,
  round: bigint,
  plaintext: Uint8Array,
  opensWith: string | null,
) => ({
  name,
  source,
  input: {
    publicKey: pk,
    encryptedToRound: Number(round),
    ciphertext: bytesToHex(oracleEncrypt(roundMessage(round), plaintext, key(), QUICKNET.publicKey)),
    signature: ROUND_1000_SIG,
  },
  expected: opensWith === null ? { error: "TlockDecryptError" } : { plaintext: opensWith },
});

const vectors = {
  pulses: [
    {
      name: "quicknet round 1000 verifies against the quicknet key",
      source: `${SUBTENSOR} pallets/drand/src/tests.rs DRAND_PULSE, DRAND_INFO_RESPONSE`,
      input: { publicKey: pk, round: 1000, signature: ROUND_1000_SIG },
      expected: {
        valid: true,
        randomness: "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd",
      },
    },
    {
      name: "round 1000 with another signature is refused",
      source:
        `${SUBTENSOR} pallets/drand/src/tests.rs it_rejects_invalid_pulse_due_to_bad_signature bad_http_response`,
      input: {
        publicKey: pk,
        round: 1000,
        signature:
          "b0a8b04e009cf72534321aca0f50048da596a3feec1172a0244d9a4a623a3123d0402da79854d4c705e94bc73224c341",
      },
      expected: { valid: false },
    },
    {
      name: "the round-1000 signature does not verify for round 1001",
      source: `${SUBTENSOR} pallets/drand/src/tests.rs DRAND_PULSE (round changed)`,
      input: { publicKey: pk, round: 1001, signature: ROUND_1000_SIG },
      expected: { valid: false },
    },
  ],
  payloads: [
    {
      name:
        "WeightsTlockPayload of test_reveal_crv3_commits_success (hotkey U256(1), uids [0,1], values [10,20])",
      source:
        `${SUBTENSOR} pallets/subtensor/src/tests/weights.rs test_reveal_crv3_commits_success; struct in pallets/subtensor/src/coinbase/reveal_commits.rs`,
      input: { hotkey: bytesToHex(hotkey1), uids: [0, 1], values: [10, 20], versionKey: 0 },
      expected: { scale: bytesToHex(payload) },
    },
  ],
  ciphertexts: [
    ciphertext(
      "reference ciphertext of the test_reveal_crv3_commits_success payload to round 1000 opens with pulse 1000",
      `${SUBTENSOR} pallets/subtensor/src/tests/weights.rs test_reveal_crv3_commits_success; ciphertext by @ideallabs/timelock_wasm_wrapper@1.0.0`,
      1000n,
      payload,
      bytesToHex(payload),
    ),
    ciphertext(
      "reference ciphertext to round 1001 does not open with pulse 1000 (incorrect identity message)",
      `${SUBTENSOR} pallets/subtensor/src/tests/weights.rs test_reveal_crv3_commits_with_incorrect_identity_message; ciphertext by @ideallabs/timelock_wasm_wrapper@1.0.0`,
      1001n,
      payload,
      null,
    ),
    ciphertext(
      "reference ciphertext of tle's quicknet test message opens with pulse 1000",
      "ideal-lab5/timelock@5416406cfd32799e31e1795393d4916894de4468 tle/src/tlock.rs tlock_encrypt_decrypt_drand_quicknet_works; ciphertext by @ideallabs/timelock_wasm_wrapper@1.0.0",
      1000n,
      new TextEncoder().encode("this is a test"),
      bytesToHex(new TextEncoder().encode("this is a test")),
    ),
  ],
  revealRounds: (JSON.parse(await Deno.readTextFile(Deno.args[0])) as { name: string }[]).map((c) => ({
    ...c,
    source:
      `opentensor/bittensor-drand@3ff0eac5d39106676a3f1846efd3bcaa7d7d7b55 tests/test_commit_reveal.py ${c.name} via its compute_expected_reveal_round (mirrors src/drand.rs generate_commit), clock fixed at 2025-12-04T00:00:00Z`,
  })),
};
await Deno.writeTextFile(new URL("./tlock.json", import.meta.url), JSON.stringify(vectors, null, 1) + "\n");
console.log(hexToBytes(ROUND_1000_SIG).length === 48 ? "wrote tests/vectors/tlock.json" : "bad signature");
