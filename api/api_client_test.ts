// The shared API client against the real app: every call signs, sends and parses as the API expects.
import { assert, assertEquals, assertMatch, assertRejects } from "../tests/assert.ts";
import { minerEpochPrefix } from "../shared/s3_keys.ts";
import { ApiClientError } from "../shared/api_client.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { minerManifestKey } from "../shared/s3_keys.ts";
import { apiClientOf, createTestApi } from "../tests/harness/api_harness.ts";

Deno.test("createApiClient() drives a miner's and a validator's calls end to end", async () => {
  const t = await createTestApi();
  try {
    const miner = apiClientOf(t, t.pairs.miner);
    const plan = await miner.current();
    assertEquals(plan.epochId, "2025-10-01T16-00-00");
    const creds = await miner.folderAccess(t.pairs.miner.address);
    assertEquals(creds.folder, `data/hotkey=${t.pairs.miner.address}/epoch=${plan.epochId}/`);
    const manifest = "signed manifest bytes";
    t.presigner.putObject(
      t.config.S3_BUCKET,
      minerManifestKey(t.pairs.miner.address, plan.epochId),
      manifest,
    );
    await t.advance(1000);
    const done = await miner.status({
      epochId: plan.epochId,
      nonce: plan.nonce,
      status: "COMPLETED",
      s3UploadComplete: true,
      manifestSha256: sha256Hex(manifest),
    });
    assertEquals(done.receipt?.manifestSha256, sha256Hex(manifest));
    await t.advance(3.4 * 3600_000); // past the deadline: the validator may read the epoch

    const validator = apiClientOf(t, t.pairs.validator);
    assertEquals((await validator.epoch(plan.epochId)).zipcodes, plan.zipcodes);
    assertEquals((await validator.submissions(plan.epochId)).submissions.length, 1);
    const page = await validator.minerList(t.pairs.miner.address, { epochId: plan.epochId });
    // The URL lists exactly this miner's epoch folder and the presigner honours it.
    const expectedPrefix = minerEpochPrefix(t.pairs.miner.address, plan.epochId);
    assertEquals(page.prefix, expectedPrefix);
    const listUrl = new URL(page.list_url);
    assertEquals(listUrl.searchParams.get("list-type"), "2");
    assertEquals(listUrl.searchParams.get("prefix"), expectedPrefix);
    const listing = await t.presigner.fetch(page.list_url);
    assertEquals(listing.status, 200);
    assertMatch(await listing.text(), /<ListBucketResult/);
  } finally {
    t.close();
  }
});

Deno.test("createApiClient() surfaces the API's reason in ApiClientError", async () => {
  const t = await createTestApi();
  try {
    const error = await assertRejects(() => apiClientOf(t, t.pairs.stranger).current(), ApiClientError);
    assertEquals((error as ApiClientError).status, 403);
    assert(error.message.includes("not registered"));
  } finally {
    t.close();
  }
});
