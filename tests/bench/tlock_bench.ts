// CRv4 costs: encrypting one weights commit (a validator's per-tempo work) and decrypting it (the chain's,
// or the local chain's per commit). `deno bench -A tests/bench/tlock_bench.ts`
import {
  encodePayload,
  QUICKNET,
  tlockDecrypt,
  tlockEncrypt,
  verifyPulse,
} from "../../shared/chain/tlock/mod.ts";
import { hexToBytes } from "../../shared/chain/tlock/drand.ts";

const rng = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const uids = Array.from({ length: 256 }, (_, i) => i);
const payload = encodePayload({ hotkey: rng(32), uids, values: uids.map((u) => u * 7), versionKey: 1n });
const sig = hexToBytes(
  "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39",
);
const ct = tlockEncrypt(QUICKNET.publicKey, 1000n, payload, rng);

Deno.bench("tlockEncrypt: 256-uid WeightsTlockPayload to a quicknet round", () => {
  tlockEncrypt(QUICKNET.publicKey, 1000n, payload, rng);
});
Deno.bench("tlockDecrypt: the same commit with the round's pulse", () => {
  tlockDecrypt(ct, sig);
});
Deno.bench("verifyPulse: quicknet round 1000", () => {
  verifyPulse(QUICKNET.publicKey, { round: 1000n, signature: sig });
});
