/**
 * The real S3 server the integration tests run against (radosgw, started by `.ci/s3-server.sh`, which
 * exports ZIPMINE_TEST_S3_*): its settings, and a fresh bucket per test that is emptied and deleted after.
 * Without ZIPMINE_TEST_S3_ENDPOINT the tests that need it are ignored.
 * @module
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import type { S3PresignerOptions } from "../../shared/adapters/s3/s3_presigner.ts";

/** The server's endpoint; "" when none is running (the tests are ignored then). */
export const RADOSGW_ENDPOINT = Deno.env.get("ZIPMINE_TEST_S3_ENDPOINT") ?? "";

/** The server's settings, as the presigner and object reader take them (path-style addressing). */
export function radosgwSettings(): S3PresignerOptions {
  return {
    endpoint: RADOSGW_ENDPOINT,
    region: Deno.env.get("ZIPMINE_TEST_S3_REGION") ?? "us-east-1",
    accessKeyId: Deno.env.get("ZIPMINE_TEST_S3_ACCESS_KEY_ID") ?? "",
    secretAccessKey: Deno.env.get("ZIPMINE_TEST_S3_SECRET_ACCESS_KEY") ?? "",
    forcePathStyle: true,
  };
}

/** An SDK client on the server. */
export function radosgwClient(): S3Client {
  const { accessKeyId, secretAccessKey, ...options } = radosgwSettings();
  return new S3Client({ ...options, credentials: { accessKeyId, secretAccessKey } });
}

/** A bucket name no other run uses: `prefix`, the time and a random part. */
export function uniqueBucket(prefix: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2)).join("").slice(0, 10);
  return `${prefix}-${Date.now().toString(36)}-${random}`;
}

/** The bucket's keys on its first page (up to 1000), sorted. */
export async function keysOf(s3: S3Client, bucket: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

/** Deletes every object (page by page) and then the bucket. */
export async function dropBucket(s3: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
    if (objects.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** A fresh bucket named from `prefix` and a client on it: `drop` empties and deletes it and closes the client. */
export async function createTestBucket(prefix: string): Promise<{
  s3: S3Client;
  bucket: string;
  drop(): Promise<void>;
}> {
  const s3 = radosgwClient();
  const bucket = uniqueBucket(prefix);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    s3.destroy();
    throw error;
  }
  return {
    s3,
    bucket,
    drop: async () => {
      try {
        await dropBucket(s3, bucket);
      } finally {
        s3.destroy();
      }
    },
  };
}

/** Runs `fn` on a fresh bucket, then empties and deletes it. */
export async function withBucket(
  prefix: string,
  fn: (s3: S3Client, bucket: string) => Promise<void>,
): Promise<void> {
  const { s3, bucket, drop } = await createTestBucket(prefix);
  try {
    await fn(s3, bucket);
  } finally {
    await drop();
  }
}

/** A browser-style upload through a presigned POST policy (its fields, then the file named as the key ends). */
export async function postUpload(
  policy: { url: string; fields: Record<string, string> },
  key: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...policy.fields, key })) form.append(k, v);
  form.append("file", new Blob([body]), key.slice(key.lastIndexOf("/") + 1));
  const r = await fetch(policy.url, { method: "POST", body: form });
  return { status: r.status, text: await r.text() };
}
