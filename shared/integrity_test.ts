import { assertEquals } from "../tests/assert.ts";
import { sha256Hex } from "./canonical_json.ts";
import { checkIntegrity, type UploadFacts } from "./integrity.ts";
import { encodeManifest, signManifest } from "./manifest.ts";
import { minerDataKey, minerManifestKey } from "./s3_keys.ts";
import { createKeyring, cryptoReady } from "./signature.ts";

await cryptoReady();
const miner = createKeyring().addFromUri("//integrity/miner");
const other = createKeyring().addFromUri("//integrity/other");
const EPOCH = "2025-10-01T16-00-00";
const DEADLINE = Date.UTC(2025, 9, 1, 19, 45);
const T = Date.UTC(2025, 9, 1, 19, 0);
const LIMITS = { maxFiles: 5, maxRows: 100, maxBytes: 1000, maxFileBytes: 1_000_000 };

function honest(): UploadFacts {
  const files = ["77001", "77002"].map((zip) => ({
    key: minerDataKey(miner.address, EPOCH, zip, "listings.parquet"),
    zipcode: zip,
    sha256: sha256Hex(`bytes of ${zip}`),
    rows: 10,
    bytes: 100,
  }));
  const manifest = encodeManifest(signManifest(miner, {
    version: 1,
    epoch_id: EPOCH,
    miner_hotkey: miner.address,
    created_at: new Date(T).toISOString(),
    files,
    total_rows: 20,
  }));
  return {
    hotkey: miner.address,
    epochId: EPOCH,
    deadlineMs: DEADLINE,
    objects: [
      ...files.map((f) => ({ key: f.key, size: f.bytes, lastModifiedMs: T })),
      { key: minerManifestKey(miner.address, EPOCH), size: manifest.text.length, lastModifiedMs: T + 1000 },
    ],
    manifestText: manifest.text,
    fileSha256: Object.fromEntries(files.map((f) => [f.key, f.sha256])),
    receipt: {
      hotkey: miner.address,
      epochId: EPOCH,
      manifestSha256: manifest.sha256,
      receivedAt: new Date(T + 2000).toISOString(),
    },
    limits: LIMITS,
  };
}

Deno.test("checkIntegrity() passes an honest upload and reports its manifest hash", () => {
  const facts = honest();
  const result = checkIntegrity(facts);
  assertEquals(result.zeroReason, null);
  assertEquals(result.manifestSha256, sha256Hex(facts.manifestText!));
  assertEquals(result.checks.every((c) => c.ok), true);
});

Deno.test("checkIntegrity() gives each broken upload its reason", () => {
  const cases: [string, (f: UploadFacts) => UploadFacts][] = [
    ["no submission", (f) => ({ ...f, objects: [] })],
    ["manifest missing", (f) => ({ ...f, manifestText: null })],
    ["manifest malformed: not JSON", (f) => ({ ...f, manifestText: "{oops" })],
    ["manifest signature invalid", (f) => {
      const m = JSON.parse(f.manifestText!);
      m.manifest.total_rows = 9999; // a manifest claiming more rows than signed
      return { ...f, manifestText: JSON.stringify(m) };
    }],
    ["manifest malformed: it names another hotkey or epoch", (f) => ({
      ...f,
      manifestText: encodeManifest(
        signManifest(other, { ...JSON.parse(f.manifestText!).manifest, miner_hotkey: other.address }),
      ).text,
    })],
    [`file missing: ${minerDataKey(miner.address, EPOCH, "77002", "listings.parquet")}`, (f) => ({
      ...f,
      objects: f.objects.filter((o) => !o.key.includes("zipcode=77002")),
    })],
    [
      `file changed after the manifest: ${minerDataKey(miner.address, EPOCH, "77001", "listings.parquet")}`,
      (f) => ({
        ...f,
        fileSha256: {
          ...f.fileSha256,
          [minerDataKey(miner.address, EPOCH, "77001", "listings.parquet")]: "0".repeat(64),
        },
      }),
    ],
    [`late upload: ${minerManifestKey(miner.address, EPOCH)} stored 2025-10-01T19:45:00.001Z`, (f) => ({
      ...f,
      objects: f.objects.map((o) =>
        o.key.endsWith("manifest.json") ? { ...o, lastModifiedMs: DEADLINE + 1 } : o
      ),
    })],
    ["no COMPLETED receipt", (f) => ({ ...f, receipt: null })],
    [
      "late COMPLETED",
      (f) => ({ ...f, receipt: { ...f.receipt!, receivedAt: new Date(DEADLINE + 1).toISOString() } }),
    ],
    [
      "manifest changed after the receipt",
      (f) => ({ ...f, receipt: { ...f.receipt!, manifestSha256: "f".repeat(64) } }),
    ],
  ];
  for (const [reason, mutate] of cases) {
    assertEquals(checkIntegrity(mutate(honest())).zeroReason, reason);
  }
});

Deno.test("checkIntegrity() refuses a manifest listing another miner's key or an oversized file", () => {
  const facts = honest();
  const body = JSON.parse(facts.manifestText!).manifest;
  body.files[0].key = minerDataKey(other.address, EPOCH, "77001", "listings.parquet");
  const foreign = { ...facts, manifestText: encodeManifest(signManifest(miner, body)).text };
  assertEquals(checkIntegrity(foreign).zeroReason?.startsWith("manifest lists a foreign key"), true);
  assertEquals(
    checkIntegrity({ ...honest(), limits: { ...LIMITS, maxFileBytes: 10 } }).zeroReason
      ?.startsWith("file too large"),
    true,
  );
});

Deno.test("checkIntegrity() zeroes an upload over its budget with the same reason gathering refused it", () => {
  const facts = honest();
  const cases: [Partial<typeof LIMITS>, RegExp][] = [
    [{ maxFiles: 1 }, /^over budget: 2 files exceed the limit of 1$/],
    [{ maxRows: 19 }, /^over budget: 20 rows claimed exceed the limit of 19$/],
    [{ maxBytes: 199 }, /^over budget: 200 bytes in total exceed the limit of 199$/],
  ];
  for (const [limits, reason] of cases) {
    const result = checkIntegrity({ ...facts, limits: { ...LIMITS, ...limits } });
    assertEquals(reason.test(result.zeroReason ?? ""), true, result.zeroReason ?? "passed");
    assertEquals(result.checks.at(-1)?.name, "budget");
  }
  // A listed size other than the declared one: the file changed after signing, refused before download.
  const grown = { ...facts, objects: facts.objects.map((o, i) => (i === 0 ? { ...o, size: 101 } : o)) };
  assertEquals(
    /^over budget: .* is 101 bytes in the listing, the manifest declares 100$/.test(
      checkIntegrity(grown).zeroReason ?? "",
    ),
    true,
  );
  // Refused while listing (too many objects, a huge manifest): named before any manifest check.
  assertEquals(
    checkIntegrity({ ...facts, manifestText: null, refused: "over 20000 objects stored for the epoch" })
      .zeroReason,
    "over budget: over 20000 objects stored for the epoch",
  );
});

Deno.test("checkIntegrity() calls a manifest that lists one key twice malformed", () => {
  const facts = honest();
  const body = JSON.parse(facts.manifestText!).manifest;
  body.files[1] = { ...body.files[0] };
  const twice = { ...facts, manifestText: encodeManifest(signManifest(miner, body)).text };
  assertEquals(checkIntegrity(twice).zeroReason, "manifest malformed: manifest.files lists a key twice");
});

Deno.test("checkIntegrity() names hostile manifest texts malformed instead of throwing", () => {
  for (const text of ["null", '{"files":{}}', "[null]", '{"manifest":null}', "1e999", '"x"', ""]) {
    const reason = checkIntegrity({ ...honest(), manifestText: text }).zeroReason ?? "";
    assertEquals(reason.startsWith("manifest malformed"), true, `${JSON.stringify(text)}: ${reason}`);
  }
  assertEquals(
    checkIntegrity({ ...honest(), manifestText: "null" }).zeroReason,
    "manifest malformed: Invalid input: expected object, received null",
  );
});
