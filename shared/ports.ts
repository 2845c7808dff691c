/**
 * The ports the shells plug adapters into. Each has a real adapter (chosen by config) and a fake for
 * tests; both must pass the same conformance suite where one exists.
 * @module
 */
import type { MetagraphSnapshot } from "./schemas/metagraph.ts";

/** The shell's clock; the core never reads time itself. */
export interface Clock {
  now(): Date;
}

/** A presigned POST: the form's target URL and the fields to send before the `file` part. */
export interface PresignedPost {
  url: string;
  /** Includes `key` (ending in `${filename}`), `policy`, the SigV4 fields and any fixed conditions. */
  fields: Record<string, string>;
  expiresAt: Date;
}

/** Options of a presigned POST: uploads confined to `keyPrefix` and to a size range. */
export interface PresignPostOptions {
  bucket: string;
  /** Every upload's key must start with this (a starts-with condition). */
  keyPrefix: string;
  minBytes: number;
  maxBytes: number;
  expiresInSeconds: number;
}

/** Options of a presigned ListObjectsV2 URL for one page. */
export interface PresignListOptions {
  bucket: string;
  prefix: string;
  delimiter?: string;
  continuationToken?: string;
  maxKeys?: number;
  expiresInSeconds: number;
}

/** Creates S3 URLs that third parties (miners, validators) use without holding credentials. */
export interface Presigner {
  presignPost(options: PresignPostOptions): Promise<PresignedPost>;
  presignGet(options: { bucket: string; key: string; expiresInSeconds: number }): Promise<string>;
  presignList(options: PresignListOptions): Promise<string>;
  /** Reachability of a bucket, for the health check. */
  checkBucket(bucket: string): Promise<{ ok: boolean; latencyMs: number }>;
}

/** Where the API reads the metagraph from (a file now, the chain through the chain adapter later). */
export interface MetagraphSource {
  /** A human-readable description for logs and health, e.g. `file:/etc/zipmine/metagraph.json`. */
  readonly description: string;
  /** Loads the current snapshot; throws when the source is unreachable or the data is invalid. */
  load(): Promise<MetagraphSnapshot>;
}

/** What a page request is for; fetchers pace and classify each kind differently (detail pages block most). */
export type PageKind = "search" | "api" | "detail" | "building";

/** One request to the listing site. */
export interface PageRequest {
  url: string;
  kind: PageKind;
  method?: "GET" | "PUT" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

/** The answer, fully read; `exit` names the route it took (direct, a proxy, a scraping API). */
export interface PageResponse {
  status: number;
  /** The final URL after redirects. */
  url: string;
  headers: Record<string, string>;
  body: string;
  exit: string;
}

/**
 * Fetches listing-site pages. The miner's crawler and the validator's spot checker use the same port and
 * the same adapters (direct, HTTP proxies, scraping-API providers), chosen by config.
 */
export interface PageFetcher {
  fetch(request: PageRequest): Promise<PageResponse>;
}
