import { assertEquals } from "../tests/assert.ts";
import { createApiClient } from "../shared/api_client.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { minerDataKey, minerEpochPrefix, minerManifestKey } from "../shared/s3_keys.ts";
import { createTestApi } from "../tests/harness/api_harness.ts";
import { gatherMinerUpload } from "./gather.ts";

const EPOCH = "2025-10-01T16-00-00";

Deno.test("gatherMinerUpload() pages the listing and downloads exactly the manifest's files", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    await t.current();
    const miner = t.pairs.miner.address;
    const keys = ["15000", "15001", "15002"].map((zip) =>
      minerDataKey(miner, EPOCH, zip, "listings.parquet")
    );
    keys.forEach((k, i) => t.presigner.putObject(t.config.S3_BUCKET, k, `file ${i}`));
    // Over a thousand stray objects force a second listing page; the big file is named but never fetched.
    for (let i = 0; i < 1001; i++) {
      t.presigner.putObject(t.config.S3_BUCKET, `${minerEpochPrefix(miner, EPOCH)}junk/${i}`, "x");
    }
    const big = minerDataKey(miner, EPOCH, "15003", "listings.parquet");
    t.presigner.putObject(t.config.S3_BUCKET, big, "y".repeat(5000));
    const manifest = JSON.stringify({ manifest: { files: [...keys, big].map((key) => ({ key })) } });
    t.presigner.putObject(t.config.S3_BUCKET, minerManifestKey(miner, EPOCH), manifest);
    await t.advance(3.4 * 3600_000); // validators read an epoch's files only after its deadline

    const api = createApiClient({
      baseUrl: "http://api.test",
      pair: t.pairs.validator,
      now: t.deps.clock.now,
      fetch: (input, init) =>
        Promise.resolve(t.app.request(String(input).replace("http://api.test", ""), init)),
    });
    const upload = await gatherMinerUpload(
      { api, fetch: t.presigner.fetch, workDir: dir, maxFileBytes: 1000 },
      miner,
      EPOCH,
    );
    assertEquals(upload.objects.length, 1001 + 5);
    assertEquals(upload.manifestText, manifest);
    assertEquals(upload.files.map((f) => [f.key, f.sha256]), keys.map((k, i) => [k, sha256Hex(`file ${i}`)]));
    assertEquals(await Deno.readTextFile(upload.files[2].path), "file 2");
    assertEquals(upload.problems, []);
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
