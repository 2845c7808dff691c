// Proves that the S3 server used in tests (radosgw, started by `.ci/s3-server.sh`) enforces the S3 rules
// zipmine relies on: presigned POST policies (key prefix, size range), presigned GET signatures and
// expiry, and ListObjectsV2 pagination. A server that ignores them (s3rver, fauxqs) would let
// upload-policy tests pass that must fail.
//
// Run: eval "$(bash .ci/s3-server.sh start)" && deno test -A tests/integration/s3_server_test.ts
import assert from "node:assert/strict";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { RADOSGW_ENDPOINT as ENDPOINT, withBucket } from "../harness/radosgw.ts";

const SKIP = ENDPOINT === "";
if (SKIP) console.log("skipped: S3 policy tests need radosgw (bash .ci/s3-server.sh start)");

const PREFIX = "data/hotkey=X/";
const MAX_UPLOAD = 1024;

async function listAllKeys(s3: S3Client, bucket: string, maxKeys?: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: maxKeys, ContinuationToken: token }),
    );
    for (const obj of page.Contents ?? []) if (obj.Key) keys.push(obj.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** A presigned POST for uploads under PREFIX of 1..MAX_UPLOAD bytes. */
function presignUpload(s3: S3Client, bucket: string) {
  return createPresignedPost(s3, {
    Bucket: bucket,
    Key: PREFIX + "${filename}",
    Conditions: [["starts-with", "$key", PREFIX], ["content-length-range", 1, MAX_UPLOAD]],
    Expires: 300,
  });
}

interface Upload {
  status: number;
  body: string;
}

/** Browser-style multipart/form-data upload: policy fields first, the file last. */
async function postForm(
  url: string,
  fields: Record<string, string>,
  key: string,
  content: Uint8Array,
): Promise<Upload> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, name === "key" ? key : value);
  form.append("file", new Blob([content as BlobPart]), "upload.bin");
  const res = await fetch(url, { method: "POST", body: form });
  return { status: res.status, body: await res.text() };
}

function bytes(n: number): Uint8Array {
  return new Uint8Array(n).fill(0x61);
}

Deno.test({
  name: "radosgw enforces presigned POST starts-with",
  ignore: SKIP,
  fn: () =>
    withBucket("zipmine-test", async (s3, bucket) => {
      const { url, fields } = await presignUpload(s3, bucket);
      assert.match(url, new RegExp(`/${bucket}/?$`), "path-style POST URL");

      const inside = await postForm(url, fields, `${PREFIX}part-0001.parquet`, bytes(100));
      assert.equal(inside.status, 204, `in-prefix upload: ${inside.body}`);

      const outside = await postForm(url, fields, "data/hotkey=Y/part-0001.parquet", bytes(100));
      assert.equal(outside.status, 403, `out-of-prefix upload must be refused: ${outside.body}`);
      assert.match(outside.body, /AccessDenied/);

      const escape = await postForm(url, fields, "data/part-0001.parquet", bytes(100));
      assert.equal(escape.status, 403, `upload above the prefix must be refused: ${escape.body}`);

      assert.deepEqual(await listAllKeys(s3, bucket), [`${PREFIX}part-0001.parquet`]);
    }),
});

Deno.test({
  name: "radosgw enforces presigned POST content-length-range",
  ignore: SKIP,
  fn: () =>
    withBucket("zipmine-test", async (s3, bucket) => {
      const { url, fields } = await presignUpload(s3, bucket);

      const atLimit = await postForm(url, fields, `${PREFIX}max.bin`, bytes(MAX_UPLOAD));
      assert.equal(atLimit.status, 204, `upload of exactly ${MAX_UPLOAD} B: ${atLimit.body}`);

      const tooBig = await postForm(url, fields, `${PREFIX}big.bin`, bytes(MAX_UPLOAD + 1));
      assert.equal(tooBig.status, 400, `oversized upload must be refused: ${tooBig.body}`);
      assert.match(tooBig.body, /EntityTooLarge/);

      const empty = await postForm(url, fields, `${PREFIX}empty.bin`, bytes(0));
      assert.equal(empty.status, 400, `empty upload must be refused: ${empty.body}`);
      assert.match(empty.body, /EntityTooSmall/);

      assert.deepEqual(await listAllKeys(s3, bucket), [`${PREFIX}max.bin`]);
    }),
});

Deno.test({
  name: "radosgw rejects presigned POST with a tampered policy",
  ignore: SKIP,
  fn: () =>
    withBucket("zipmine-test", async (s3, bucket) => {
      const { url, fields } = await presignUpload(s3, bucket);
      // Widen the signed policy to any key and any size; the signature no longer matches it.
      const policy = JSON.parse(atob(fields.Policy));
      policy.conditions = policy.conditions.filter((c: unknown) => !Array.isArray(c));
      policy.conditions.push(["starts-with", "$key", ""]);
      const forged = { ...fields, Policy: btoa(JSON.stringify(policy)) };

      const res = await postForm(url, forged, "anything/else.bin", bytes(2048));
      assert.equal(res.status, 403, `forged policy must be refused: ${res.body}`);
      assert.deepEqual(await listAllKeys(s3, bucket), []);
    }),
});

Deno.test({
  name: "radosgw enforces presigned GET signature and expiry",
  ignore: SKIP,
  fn: () =>
    withBucket("zipmine-test", async (s3, bucket) => {
      const key = `${PREFIX}part-0001.parquet`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "hello parquet" }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}secret.bin`, Body: "private" }));
      const get = new GetObjectCommand({ Bucket: bucket, Key: key });

      const good = await getSignedUrl(s3, get, { expiresIn: 300 });
      const ok = await fetch(good);
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), "hello parquet");

      const ranged = await fetch(good, { headers: { Range: "bytes=-7" } });
      assert.equal(ranged.status, 206);
      assert.equal(await ranged.text(), "parquet");

      const anonymous = await fetch(`${ENDPOINT}/${bucket}/${key}`);
      assert.equal(anonymous.status, 403, "unsigned GET of a private object");
      await anonymous.body?.cancel();

      const u = new URL(good);
      const sig = u.searchParams.get("X-Amz-Signature") ?? "";
      u.searchParams.set("X-Amz-Signature", (sig[0] === "0" ? "1" : "0") + sig.slice(1));
      const tampered = await fetch(u);
      assert.equal(tampered.status, 403, "tampered signature");
      assert.match(await tampered.text(), /SignatureDoesNotMatch/);

      const otherKey = good.replace("part-0001.parquet", "secret.bin");
      const swapped = await fetch(otherKey);
      assert.equal(swapped.status, 403, "signature reused for another key");
      await swapped.body?.cancel();

      const stale = await getSignedUrl(s3, get, {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 3_600_000),
      });
      const expired = await fetch(stale);
      assert.equal(expired.status, 403, "expired presigned URL");
      assert.match(await expired.text(), /AccessDenied/);
    }),
});

Deno.test({
  name: "radosgw paginates ListObjectsV2 with continuation tokens",
  ignore: SKIP,
  fn: () =>
    withBucket("zipmine-test", async (s3, bucket) => {
      const expected = ["a", "b", "c", "d", "e"].map((k) => `${PREFIX}${k}.parquet`);
      for (const Key of expected) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));

      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, MaxKeys: 2, ContinuationToken: token }),
        );
        pages.push((page.Contents ?? []).map((o) => o.Key ?? ""));
        if (page.IsTruncated) assert.ok(page.NextContinuationToken, "truncated page carries a token");
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && pages.length < 10);

      assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
      assert.deepEqual(pages.flat(), expected);
    }),
});
