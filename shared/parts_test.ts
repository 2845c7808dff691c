import { assertEquals } from "../tests/assert.ts";
import { sha256Hex } from "./canonical_json.ts";
import { encodeManifest, signManifest } from "./manifest.ts";
import { creditParts, deliveriesOf, type GatheredPart, isPartKey } from "./parts.ts";
import { minerDataKey, minerManifestKey, minerPartManifestKey } from "./s3_keys.ts";
import type { ManifestBody } from "./schemas/manifest.ts";
import { createKeyring, cryptoReady } from "./signature.ts";

await cryptoReady();
const miner = createKeyring().addFromUri("//parts/miner");
const other = createKeyring().addFromUri("//parts/other");
const EPOCH = "2025-10-01T16-00-00";
const DEADLINE = Date.UTC(2025, 9, 1, 19, 45);
const WHOLE_AT = Date.UTC(2025, 9, 1, 19, 0);
const FACTS = { hotkey: miner.address, epochId: EPOCH, deadlineMs: DEADLINE };
const FILES = ["77001", "77002", "77003"].map((zip) => ({
  key: minerDataKey(miner.address, EPOCH, zip, "listings.parquet"),
  zipcode: zip,
  sha256: sha256Hex(`bytes of ${zip}`),
  rows: 10,
  bytes: 100,
}));

function body(files: ManifestBody["files"], hotkey = miner.address): ManifestBody {
  return {
    version: 1,
    epoch_id: EPOCH,
    miner_hotkey: hotkey,
    created_at: new Date(WHOLE_AT).toISOString(),
    files,
    total_rows: files.reduce((a, f) => a + f.rows, 0),
  };
}
const WHOLE = signManifest(miner, body(FILES));

function part(index: number, files: ManifestBody["files"], atMs: number, signer = miner): GatheredPart {
  const { text, sha256 } = encodeManifest(signManifest(signer, body(files, signer.address)));
  const key = minerPartManifestKey(miner.address, EPOCH, index);
  return {
    key,
    text,
    receipt: {
      hotkey: miner.address,
      epochId: EPOCH,
      manifestKey: key,
      manifestSha256: sha256,
      receivedAt: new Date(atMs).toISOString(),
    },
  };
}

Deno.test("creditParts: each file goes to the earliest valid receipt naming it, the rest to the whole manifest", () => {
  const early = WHOLE_AT - 3_600_000;
  const later = WHOLE_AT - 1_800_000;
  const credit = creditParts(WHOLE, WHOLE_AT, [
    part(1, [FILES[0], FILES[1]], later),
    part(0, [FILES[0]], early),
  ], FACTS);
  assertEquals(credit.fileReceivedAtMs, {
    [FILES[0].key]: early,
    [FILES[1].key]: later,
    [FILES[2].key]: WHOLE_AT,
  });
  assertEquals(credit.check, { name: "parts", ok: true, detail: "2 of 2 parts credited" });
});

Deno.test("creditParts: a part that is not what was receipted, or not the miner's, or names other bytes earns nothing", () => {
  const at = WHOLE_AT - 3_600_000;
  const changed = {
    ...part(0, [FILES[0]], at),
    text: encodeManifest(signManifest(miner, body([FILES[1]]))).text,
  };
  const foreign = part(1, [FILES[0]], at, other);
  const otherBytes = part(2, [{ ...FILES[0], sha256: sha256Hex("other bytes") }], at);
  const moreRows = part(3, [{ ...FILES[1], rows: 11 }], at);
  const late = part(4, [FILES[2]], DEADLINE + 1);
  const missing = { ...part(5, [FILES[2]], at), text: null };
  const wrongKey = { ...part(6, [FILES[2]], at), key: minerPartManifestKey(miner.address, EPOCH, 7) };
  const credit = creditParts(
    WHOLE,
    WHOLE_AT,
    [changed, foreign, otherBytes, moreRows, late, missing, wrongKey],
    FACTS,
  );
  assertEquals(
    Object.values(credit.fileReceivedAtMs),
    [WHOLE_AT, WHOLE_AT, WHOLE_AT],
    "nothing moved earlier",
  );
  assertEquals(credit.check.ok, false);
  assertEquals(
    credit.check.detail,
    [
      "0 of 6 parts credited",
      "0000.json: changed after its receipt",
      "0001.json: names another hotkey or epoch",
      `0002.json: names ${FILES[0].key}, which the whole manifest does not hold as is`,
      `0003.json: names ${FILES[1].key}, which the whole manifest does not hold as is`,
      "0004.json: receipted after the deadline",
      "0005.json: not readable",
    ].join("; "),
  );
});

Deno.test("creditParts: a part signed by someone else for this hotkey fails its signature", () => {
  const at = WHOLE_AT - 60_000;
  const forged = part(0, [FILES[0]], at);
  const signed = JSON.parse(forged.text!);
  signed.signature = signManifest(other, body([FILES[0]], other.address)).signature;
  const text = JSON.stringify(signed);
  const credit = creditParts(WHOLE, WHOLE_AT, [{
    ...forged,
    text,
    receipt: { ...forged.receipt, manifestSha256: sha256Hex(text) },
  }], FACTS);
  assertEquals(credit.check.detail, "0 of 1 parts credited; 0000.json: signature invalid");
});

Deno.test("deliveriesOf: one delivery per receipt time with each file's credited listings per ZIP", () => {
  const files = FILES.map((f, i) => ({ key: f.key, zipcode: f.zipcode, listings: 10 * (i + 1) }));
  assertEquals(
    deliveriesOf([...files, { key: "x", zipcode: "77009", listings: 5 }], {
      [FILES[0].key]: 2,
      [FILES[1].key]: 1,
      [FILES[2].key]: 2,
    }),
    [
      { receivedAtMs: 1, uniqueValidPerZip: { "77002": 20 } },
      { receivedAtMs: 2, uniqueValidPerZip: { "77001": 10, "77003": 30 } },
    ],
  );
});

Deno.test("isPartKey: only part manifests", () => {
  assertEquals(isPartKey(minerPartManifestKey(miner.address, EPOCH, 3)), true);
  assertEquals(isPartKey(minerManifestKey(miner.address, EPOCH)), false);
  assertEquals(isPartKey(FILES[0].key), false);
  assertEquals(isPartKey("data/../x"), false);
  assertEquals(isPartKey(undefined), false);
});
