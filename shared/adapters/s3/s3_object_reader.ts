/**
 * The real `ObjectReader`: ListObjectsV2 and GetObject with the AWS SDK and the API's own S3 key, for AWS S3
 * or any S3-compatible server. The dashboard reads the validators' published reports with it; outage
 * receipts list miners' manifests with their write times. Every request
 * has a deadline, so a hanging server slows one dashboard refresh, never a request queue.
 * @module
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { ObjectReader } from "../../ports.ts";
import { createS3Client, type S3ConnectionOptions } from "./s3_client.ts";

/** How to reach the server, plus a per-request deadline and the list page size. */
export interface S3ObjectReaderOptions extends S3ConnectionOptions {
  /** Milliseconds one request may take (default `DEFAULT_REQUEST_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Keys per list page (default and S3's maximum: 1000). */
  pageSize?: number;
}

/** A request's default deadline. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** Creates the reader. The credentials stay inside the SDK client; they are never logged. */
export function createS3ObjectReader(options: S3ObjectReaderOptions): ObjectReader {
  const client = createS3Client(options, 2);
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const signal = () => AbortSignal.timeout(timeoutMs);
  // Every page of one listing, each request with its own deadline.
  async function* pages(list: { Bucket: string; Prefix: string; Delimiter?: string }) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ ...list, ContinuationToken: token, MaxKeys: options.pageSize }),
        { abortSignal: signal() },
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return {
    async listFolders(bucket, prefix) {
      const folders: string[] = [];
      for await (const page of pages({ Bucket: bucket, Prefix: prefix, Delimiter: "/" })) {
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) folders.push(p.Prefix);
      }
      return folders;
    },
    async listObjects(bucket, prefix) {
      const objects: { key: string; size: number; lastModifiedMs: number }[] = [];
      for await (const page of pages({ Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
          if (o.Key) {
            objects.push({ key: o.Key, size: o.Size ?? 0, lastModifiedMs: o.LastModified?.getTime() ?? 0 });
          }
        }
      }
      return objects;
    },
    async getObject(bucket, key, read = {}) {
      const range = read.maxBytes !== undefined ? `bytes=0-${read.maxBytes}` : undefined;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }), {
          abortSignal: signal(),
        });
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if ((error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
  };
}
