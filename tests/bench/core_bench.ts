// Costs of the protocol core on the API's and validator's hot paths: `deno task bench`.
import { buildCommitment } from "../../shared/commitment.ts";
import { canonicalSha256 } from "../../shared/canonical_json.ts";
import { createPrng } from "../../shared/prng.ts";
import { createKeyring, cryptoReady, signMessage, verifyHotkeySignature } from "../../shared/signature.ts";
import { minerDataKey, parseObjectKey } from "../../shared/s3_keys.ts";

await cryptoReady();
const pair = createKeyring().addFromUri("//Alice");
const message = buildCommitment("currentAssignment", { timestamp: 1_759_334_400 });
const signature = signMessage(pair, message);

Deno.bench("verifyHotkeySignature() one sr25519 commitment", { group: "auth", baseline: true }, () => {
  if (!verifyHotkeySignature({ message, signature, hotkey: pair.address })) throw new Error("did not verify");
});

Deno.bench("signMessage() one commitment", { group: "auth" }, () => {
  signMessage(pair, message);
});

Deno.bench("createPrng() draw 10,000 u32", { group: "prng" }, () => {
  const prng = createPrng("bench");
  for (let i = 0; i < 10_000; i++) prng.nextU32();
});

const report = {
  miners: Array.from(
    { length: 256 },
    (_, i) => ({ hotkey: `hk${i}`, score: i * 1000, checks: [{ ok: true }] }),
  ),
};
Deno.bench("canonicalSha256() a 256-miner report", { group: "hash" }, () => {
  canonicalSha256(report);
});

const key = minerDataKey(pair.address, "2025-10-01T16-00-00", "77001", "listings.parquet");
Deno.bench("parseObjectKey() one data key", { group: "keys" }, () => {
  parseObjectKey(key, { hotkey: pair.address });
});
