/**
 * The real `Presigner`: SigV4-presigned S3 URLs made with the AWS SDK, for AWS S3 or any S3-compatible
 * server (radosgw, MinIO, ...) reached through `endpoint`. Presigning is local computation with the API's
 * key; only `checkBucket` talks to the server. Nothing here logs, and no error message carries the secret.
 * @module
 */
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createS3Client, type S3ConnectionOptions } from "./s3_client.ts";
import type { PresignedPost, Presigner, PresignListOptions, PresignPostOptions } from "../../ports.ts";

/** How to reach and sign for the S3 server, and how long a health check may take. */
export interface S3PresignerOptions extends S3ConnectionOptions {
  /** How long `checkBucket` waits for HeadBucket (default `DEFAULT_CHECK_TIMEOUT_MS`). */
  checkTimeoutMs?: number;
}

/** `checkBucket`'s default timeout: a health check must answer quickly even when S3 hangs. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5000;

/** SigV4 caps presigned URLs at 7 days. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

/** Creates the S3 presigner. The credentials stay inside the SDK client; they are never logged. */
export function createS3Presigner(options: S3PresignerOptions): Presigner {
  // Only HeadBucket goes over the network; a health check reports one attempt, not three.
  const client = createS3Client(options, 1);
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return {
    presignPost: (post) => presignPost(client, post),
    presignGet: ({ bucket, key, expiresInSeconds }) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: checkExpiry(expiresInSeconds),
      }),
    presignList: (list) => presignList(client, list),
    checkBucket: (bucket) => checkBucket(client, bucket, checkTimeoutMs),
  };
}

function checkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
    throw new RangeError(`expiresInSeconds must be an integer in 1..${MAX_EXPIRES_SECONDS}, got ${seconds}`);
  }
  return seconds;
}

/**
 * A POST policy confining uploads to `keyPrefix` (or exactly that key) and `minBytes..maxBytes`, with
 * `acl=private`. The SDK
 * adds the `bucket` and SigV4 conditions, and turns every field (here `acl`) into an exact-match condition.
 */
async function presignPost(client: S3Client, options: PresignPostOptions): Promise<PresignedPost> {
  const { bucket, keyPrefix, minBytes, maxBytes } = options;
  // An empty prefix would grant the whole bucket: refuse it rather than trust every caller.
  if (keyPrefix === "") throw new RangeError("keyPrefix must not be empty");
  if (
    !Number.isSafeInteger(minBytes) || !Number.isSafeInteger(maxBytes) || minBytes < 0 || minBytes > maxBytes
  ) {
    throw new RangeError(`Invalid size range ${minBytes}..${maxBytes}`);
  }
  const { url, fields } = await createPresignedPost(client, {
    Bucket: bucket,
    Key: options.exactKey ? keyPrefix : keyPrefix + "${filename}",
    Fields: { acl: "private" },
    Conditions: [
      options.exactKey ? ["eq", "$key", keyPrefix] : ["starts-with", "$key", keyPrefix],
      ["content-length-range", minBytes, maxBytes],
    ],
    Expires: checkExpiry(options.expiresInSeconds),
  });
  // The policy's own expiration is the truth; the SDK computed it from its clock, not ours.
  const policy = JSON.parse(atob(fields.Policy)) as { expiration: string };
  // Virtual-hosted URLs come back as `https://{bucket}.s3.{region}.amazonaws.com/`; clients expect no slash.
  return { url: url.replace(/\/$/, ""), fields, expiresAt: new Date(policy.expiration) };
}

/** One ListObjectsV2 page; the continuation token is part of the signed query, so each page is re-signed. */
function presignList(client: S3Client, options: PresignListOptions): Promise<string> {
  const command = new ListObjectsV2Command({
    Bucket: options.bucket,
    Prefix: options.prefix,
    Delimiter: options.delimiter,
    ContinuationToken: options.continuationToken,
    MaxKeys: options.maxKeys,
  });
  return getSignedUrl(client, command, { expiresIn: checkExpiry(options.expiresInSeconds) });
}

/** HeadBucket within `timeoutMs`. Any failure (unreachable, timeout, 403, 404) is `ok: false`, never a throw. */
async function checkBucket(
  client: S3Client,
  bucket: string,
  timeoutMs: number,
): Promise<{ ok: boolean; latencyMs: number }> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let ok = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: abort.signal });
    ok = true;
  } catch {
    // The port reports reachability only; the health route turns `ok: false` into "degraded".
  } finally {
    clearTimeout(timer);
  }
  return { ok, latencyMs: Math.round(performance.now() - started) };
}
