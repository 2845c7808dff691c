import { assert, assertEquals, assertMatch, assertRejects } from "../tests/assert.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { minerDataKey, minerEpochPrefix, minerManifestKey } from "../shared/s3_keys.ts";
import type { UploadLimits } from "../shared/upload_budget.ts";
import { apiClientOf, createTestApi, type TestApi } from "../tests/harness/api_harness.ts";
import { type S3Tamper, tamperedFetch } from "../tests/harness/tampered_s3.ts";
import { gatherMinerUpload, JudgeFault } from "./gather.ts";

const EPOCH = "2025-10-01T16-00-00";
const LIMITS: UploadLimits = { maxFiles: 50, maxRows: 1000, maxBytes: 100_000, maxFileBytes: 1000 };

/** A test API whose miner stored `bodies` (by ZIP) and a signed manifest naming them (`extra` appended). */
async function seeded(
  bodies: Record<string, string>,
  extra: { key: string; zipcode: string; bytes: number }[] = [],
) {
  const t = await createTestApi();
  await t.current();
  const miner = t.pairs.miner;
  const files = Object.entries(bodies).map(([zip, body]) => {
    const key = minerDataKey(miner.address, EPOCH, zip, "listings.parquet");
    t.presigner.putObject(t.config.S3_BUCKET, key, body);
    return { key, zipcode: zip, sha256: sha256Hex(body), rows: 1, bytes: body.length };
  });
  const all = [...files, ...extra.map((e) => ({ ...e, sha256: sha256Hex("x"), rows: 1 }))];
  const manifest = encodeManifest(signManifest(miner, {
    version: 1,
    epoch_id: EPOCH,
    miner_hotkey: miner.address,
    created_at: "2025-10-01T19:00:00.000Z",
    files: all,
    total_rows: all.length,
  }));
  t.presigner.putObject(t.config.S3_BUCKET, minerManifestKey(miner.address, EPOCH), manifest.text);
  await t.advance(3.4 * 3600_000); // validators read an epoch's files only after its deadline
  return { t, miner: miner.address, manifest, keys: files.map((f) => f.key) };
}

function gatherOf(t: TestApi, dir: string, tamper: S3Tamper = {}, limits = LIMITS) {
  const api = apiClientOf(t, t.pairs.validator);
  return (hotkey: string) =>
    gatherMinerUpload(
      { api, fetch: tamperedFetch(t.presigner.fetch, tamper), workDir: dir, limits },
      hotkey,
      EPOCH,
    );
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("gatherMinerUpload() pages the listing and downloads exactly the manifest's files", async () => {
  const { t, miner, manifest, keys } = await seeded({
    "15000": "file 0",
    "15001": "file 1",
    "15002": "file 2",
  });
  try {
    // Over a thousand stray objects force a second listing page; none of them is fetched.
    for (let i = 0; i < 1001; i++) {
      t.presigner.putObject(t.config.S3_BUCKET, `${minerEpochPrefix(miner, EPOCH)}junk/${i}`, "x");
    }
    await withDir(async (dir) => {
      const gets = new Map<string, number>();
      const upload = await gatherOf(t, dir, { gets })(miner);
      assertEquals(upload.objects.length, 1001 + 4);
      assertEquals(upload.manifestText, manifest.text);
      assertEquals(
        upload.files.map((f) => [f.key, f.sha256]),
        keys.map((k, i) => [k, sha256Hex(`file ${i}`)]),
      );
      assertEquals(await Deno.readTextFile(upload.files[2].path), "file 2");
      assertEquals([upload.refused, upload.problems], [null, []]);
      assertEquals([...gets.keys()].filter((k) => k.includes("junk")), []);
    });
  } finally {
    t.close();
  }
});

Deno.test("gatherMinerUpload() downloads no data file of a manifest that is not one", async () => {
  const { t, miner, keys } = await seeded({ "15000": "file 0" });
  try {
    await withDir(async (dir) => {
      for (const text of ["null", '{"files":{}}', "[null]", '{"manifest":{"files":[null]}}', "{"]) {
        t.presigner.putObject(t.config.S3_BUCKET, minerManifestKey(miner, EPOCH), text);
        const gets = new Map<string, number>();
        const upload = await gatherOf(t, dir, { gets })(miner);
        assertEquals([upload.manifestText, upload.files, gets.get(keys[0])], [text, [], undefined], text);
      }
    });
  } finally {
    t.close();
  }
});

Deno.test("gatherMinerUpload() refuses uploads over budget before downloading any data file", async () => {
  const { t, miner, keys } = await seeded({ "15000": "file 0", "15001": "file 1" });
  try {
    await withDir(async (dir) => {
      const gets = new Map<string, number>();
      // A "1 GB" file by its listed size: never downloaded, and nothing else either.
      const huge = await gatherOf(t, dir, { gets, listedSize: { [keys[1]]: 1_000_000_000 } })(miner);
      assertMatch(huge.refused ?? "", /is 1000000000 bytes in the listing, the manifest declares 6$/);
      assertEquals([huge.files, gets.get(keys[0])], [[], undefined]);
      const few = await gatherOf(t, dir, { gets }, { ...LIMITS, maxFiles: 1 })(miner);
      assertEquals([few.refused, few.files], ["2 files exceed the limit of 1", []]);
      const small = await gatherOf(t, dir, { gets }, { ...LIMITS, maxBytes: 11 })(miner);
      assertEquals(small.refused, "12 bytes in total exceed the limit of 11");
      assertEquals(gets.get(keys[0]), undefined);
    });
  } finally {
    t.close();
  }
});

Deno.test("gatherMinerUpload() never downloads a declared 1 GB file", async () => {
  const t0 = await seeded({ "15000": "file 0" });
  const key = minerDataKey(t0.miner, EPOCH, "15009", "listings.parquet");
  t0.t.close();
  const { t, miner, keys } = await seeded({ "15000": "file 0" }, [{ key, zipcode: "15009", bytes: 1e9 }]);
  try {
    t.presigner.putObject(t.config.S3_BUCKET, key, "small stand-in");
    await withDir(async (dir) => {
      const gets = new Map<string, number>();
      const tamper = { gets, listedSize: { [key]: 1e9 } };
      const over = await gatherOf(t, dir, tamper)(miner);
      assertEquals(over.refused, "1000000006 bytes in total exceed the limit of 100000");
      // Within the total but over the per-file limit: skipped (integrity says "file too large").
      const skipped = await gatherOf(t, dir, tamper, { ...LIMITS, maxBytes: 2e9 })(miner);
      assertEquals([skipped.refused, skipped.files.map((f) => f.key)], [null, keys]);
      assertEquals(gets.get(key), undefined);
    });
  } finally {
    t.close();
  }
});

Deno.test("gatherMinerUpload() names the miner for changed or deleted files and faults on S3 errors", async () => {
  const { t, miner, keys } = await seeded({ "15000": "file 0", "15001": "file 1" });
  try {
    await withDir(async (dir) => {
      // Grown after the listing: cut off at the listed size; gone: a problem; both the miner's.
      const changed = await gatherOf(t, dir, {
        getBody: { [keys[0]]: "file 0 and then much more" },
        getStatus: { [keys[1]]: 404 },
      })(miner);
      assertEquals(changed.files, []);
      assertMatch(changed.problems[0], /grew over 6 bytes/);
      assertMatch(changed.problems[1], /answered 404/);
      // S3 failing is the validator's side: thrown, never a verdict.
      const err = await assertRejects(
        () => gatherOf(t, dir, { getStatus: { [keys[0]]: 503 } })(miner),
        JudgeFault,
      );
      assertMatch(err.message, /503/);
      await assertRejects(() => gatherOf(t, dir, { listStatus: 500 })(miner), JudgeFault);
    });
  } finally {
    t.close();
  }
});

Deno.test("gatherMinerUpload() refuses a huge manifest unread", async () => {
  const { t, miner } = await seeded({ "15000": "file 0" });
  try {
    await withDir(async (dir) => {
      const gets = new Map<string, number>();
      const key = minerManifestKey(miner, EPOCH);
      const upload = await gatherOf(t, dir, { gets, listedSize: { [key]: 50_000_000 } })(miner);
      assertMatch(upload.refused ?? "", /^manifest is 50000000 bytes, over the limit of \d+$/);
      assert(!gets.has(key));
    });
  } finally {
    t.close();
  }
});
