/**
 * Mirrors the validator bucket's published outputs into a local cache folder with the AWS SDK (DuckDB's
 * httpfs is not available offline), downloading only objects that are new or whose ETag or size changed
 * since the last sync; `sync_state.json` in the cache remembers what each local file was. Objects later
 * deleted from the bucket stay in the cache, so it keeps history the bucket may expire. Keys that are not
 * validator outputs (`parseObjectKey`) are never written, so no key can reach outside the cache.
 * @module
 */
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from "@aws-sdk/client-s3";
import { dirname, join } from "node:path";
import { parseObjectKey } from "../../shared/s3_keys.ts";

/** The part of the SDK's `S3Client` the sync uses. */
export interface S3Reader {
  send(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput>;
  send(command: GetObjectCommand): Promise<GetObjectCommandOutput>;
}

/** How to reach the bucket. */
export interface S3ReaderOptions {
  /** Base URL of an S3-compatible server; omit for AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Signs requests with this key; without it requests go unsigned (a public bucket). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** What one sync did. */
export interface SyncResult {
  /** Output objects listed under the prefix. */
  listed: number;
  downloaded: number;
  bytes: number;
}

/** Raised when the bucket cannot be listed or read; the message names the bucket and S3's reason. */
export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncError";
  }
}

/** The cache's record of each local file: the ETag and size it had in the bucket. */
export const SYNC_STATE_FILE = "sync_state.json";

const DEFAULT_CONCURRENCY = 8;

/** Creates the SDK client; unsigned unless `credentials` are given. */
export function createS3Reader(options: S3ReaderOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.credentials ? { credentials: options.credentials } : {
      // The SDK has no "anonymous" switch: its no-auth scheme skips both the credential chain and SigV4.
      httpAuthSchemeProvider: () => [{ schemeId: "smithy.api#noAuth" }],
      httpAuthSchemes: [{
        schemeId: "smithy.api#noAuth",
        identityProvider: () => () => Promise.resolve({}),
        signer: { sign: (request) => Promise.resolve(request) },
      }],
    }),
  });
}

/** Downloads the new and changed objects under `prefix` of `bucket` into `root`, keeping the key layout. */
export async function syncArchive(input: {
  client: S3Reader;
  bucket: string;
  prefix: string;
  root: string;
  concurrency?: number;
}): Promise<SyncResult> {
  const { client, bucket, prefix, root } = input;
  const where = `s3://${bucket}/${prefix}`;
  const listed = await listObjects(client, bucket, prefix).catch((error) => {
    throw new SyncError(`Cannot list ${where}: ${describeError(error)}`);
  });
  const state = await readState(root);
  const stale = [];
  for (const object of listed) {
    const known = state[object.key];
    if (
      known?.etag !== object.etag || known.size !== object.size ||
      !(await exists(localPath(root, object.key)))
    ) {
      stale.push(object);
    }
  }
  let bytes = 0;
  try {
    await eachLimited(stale, input.concurrency ?? DEFAULT_CONCURRENCY, async (object) => {
      const etag = await download(client, bucket, object.key, localPath(root, object.key)).catch((error) => {
        throw new SyncError(`Cannot download s3://${bucket}/${object.key}: ${describeError(error)}`);
      });
      state[object.key] = { etag: etag ?? object.etag, size: object.size };
      bytes += object.size;
    });
  } finally {
    await writeState(root, state);
  }
  return { listed: listed.length, downloaded: stale.length, bytes };
}

interface ListedObject {
  key: string;
  etag: string;
  size: number;
}

async function listObjects(client: S3Reader, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined && isOutputKey(object.Key)) {
        objects.push({ key: object.Key, etag: object.ETag ?? "", size: object.Size ?? 0 });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

function isOutputKey(key: string): boolean {
  try {
    return parseObjectKey(key).kind === "validatorFile";
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

/** Streams one object to `path` through a temporary name; returns its ETag. */
async function download(client: S3Reader, bucket: string, key: string, path: string) {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error("empty response body");
  await Deno.mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  await Deno.writeFile(partial, response.Body.transformToWebStream());
  await Deno.rename(partial, path);
  return response.ETag;
}

function localPath(root: string, key: string): string {
  return join(root, ...key.split("/"));
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

type SyncState = Record<string, { etag: string; size: number }>;

async function readState(root: string): Promise<SyncState> {
  try {
    return JSON.parse(await Deno.readTextFile(join(root, SYNC_STATE_FILE))).objects ?? {};
  } catch (error) {
    // A missing or damaged record only costs a fresh download of everything.
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return {};
    throw error;
  }
}

async function writeState(root: string, state: SyncState): Promise<void> {
  await Deno.mkdir(root, { recursive: true });
  const path = join(root, SYNC_STATE_FILE);
  await Deno.writeTextFile(`${path}.partial`, JSON.stringify({ version: 1, objects: state }));
  await Deno.rename(`${path}.partial`, path);
}

/** Runs `task` over `items`, at most `limit` at once; stops starting new ones after the first failure. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      try {
        await task(items[next++]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The SDK names S3's error code (AccessDenied, NoSuchBucket) in `name`; its message may be empty.
  return error.message && error.name !== "Error"
    ? `${error.name}: ${error.message}`
    : error.message || error.name;
}
