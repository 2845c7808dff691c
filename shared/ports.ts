/**
 * The ports the shells plug adapters into. Each has a real adapter (chosen by config) and a fake for
 * tests; both must pass the same conformance suite where one exists.
 * @module
 */
import type { MetagraphSnapshot } from "./schemas/metagraph.ts";
import type { KeyringPair } from "./signature.ts";

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
  /** Every upload's key must start with this (a starts-with condition), or equal it with `exactKey`. */
  keyPrefix: string;
  /** Confine the policy to the one key `keyPrefix` (an `eq` condition) instead of a prefix. */
  exactKey?: boolean;
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

/**
 * Reads a bucket with the reader's own credentials. The API reads the validators' published reports (the
 * dashboard shows them) and the miners' manifests it issues receipts for.
 */
export interface ObjectReader {
  /** The common prefixes ("folders") directly below `prefix` (delimiter "/"), over every page. */
  listFolders(bucket: string, prefix: string): Promise<string[]>;
  /** Every object below `prefix` (no delimiter), in key order, over every page, with S3's write times. */
  listObjects(
    bucket: string,
    prefix: string,
  ): Promise<{ key: string; size: number; lastModifiedMs: number }[]>;
  /**
   * The object's bytes, or null when there is no such key. With `maxBytes`, at most `maxBytes + 1` bytes
   * are read (a ranged GET), so a caller sees that an object is too large without downloading it.
   */
  getObject(bucket: string, key: string, options?: { maxBytes?: number }): Promise<Uint8Array | null>;
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

/** Subnet hyperparameters a validator must respect when setting weights. */
export interface SubnetHyperparameters {
  /** Blocks per tempo (360 = 72 min at 12 s per block). */
  tempo: number;
  /** Blocks a validator must wait between two weight settings. */
  weightsRateLimit: number;
  commitRevealEnabled: boolean;
  /** Reveal delay in tempos when commit-reveal is on. */
  commitRevealPeriod: number;
  weightsVersionKey: number;
  minAllowedWeights: number;
  /** Largest normalised weight one uid may get, as u16 (65535 = no limit). */
  maxWeightLimit: number;
}

/** Weights as the chain takes them: parallel arrays of uids and u16 values (zeros dropped). */
export interface WeightVector {
  uids: number[];
  weights: number[];
}

/** The outcome of a weight-setting attempt; `error` carries the chain's error name as it is. */
/**
 * `via` names the extrinsic that carried the weights (`set_weights`, `commit_weights`,
 * `commit_timelocked_mechanism_weights`, ...) where the adapter knows it.
 */
export type SetWeightsResult = { ok: true; block: number; mode: "set" | "commit"; via?: string } | {
  ok: false;
  error: string;
};

/**
 * The chain as validators (and the API's metagraph sync) use it. The local chain of localnet and tests and
 * the subtensor adapter implement the same interface, chosen by config.
 */
export interface ChainAdapter {
  readonly description: string;
  currentBlock(): Promise<number>;
  metagraph(netuid: number): Promise<MetagraphSnapshot>;
  hyperparameters(netuid: number): Promise<SubnetHyperparameters>;
  /** The subnet owner's hotkey (burned weight goes to its uid), or null when unknown. */
  ownerHotkey(netuid: number): Promise<string | null>;
  /** Sets (or commits, with commit-reveal on) weights signed by `signer`. */
  setWeights(netuid: number, weights: WeightVector, signer: KeyringPair): Promise<SetWeightsResult>;
}
