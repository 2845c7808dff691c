/**
 * Everything the API's handlers need, built once by the composition root (`main.ts`) or by a test.
 * @module
 */
import type { ApiConfig } from "./config.ts";
import type { Logger } from "../shared/log.ts";
import type { Registry } from "../shared/metrics.ts";
import type { Clock, ObjectReader, Presigner } from "../shared/ports.ts";
import type { ZipRecord } from "../shared/schemas/zip_universe.ts";
import type { MetagraphCache } from "./metagraph/metagraph_cache.ts";
import type { SignatureVerifier } from "./verifier.ts";
import type { KeyringPair } from "../shared/signature.ts";

/** The API's dependencies. */
export interface ApiDeps {
  config: ApiConfig;
  kv: Deno.Kv;
  clock: Clock;
  presigner: Presigner;
  /** Reads the validator bucket (the dashboard shows the published reports). */
  objectReader: ObjectReader;
  metagraph: MetagraphCache;
  verifier: SignatureVerifier;
  /** The API's own key: it signs the assignments it hands out. */
  signer: KeyringPair;
  /** Randomness (crypto.getRandomValues in production): the tlock keys of sealed plans. */
  random: (n: number) => Uint8Array;
  /** The ZIP universe with current expected counts (imported table or the default one). */
  loadUniverse: () => Promise<readonly ZipRecord[]>;
  log: Logger;
  metrics: Registry;
  /** The build's version, reported by the health check. */
  version: string;
  startedAtMs: number;
}
