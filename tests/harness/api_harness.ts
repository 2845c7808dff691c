/**
 * Builds a complete API for tests: in-memory KV, a fake clock, the fake presigner, an in-memory metagraph
 * with miners and validators whose keys come from fixed dev seeds, a synthetic ZIP universe, and helpers
 * that sign requests exactly as the RESI Python clients send them (query params for GET, JSON for POST,
 * plain lower-case hex signatures).
 * @module
 */
import { buildCommitment, type CommitmentKind, type CommitmentParams } from "../../shared/commitment.ts";
import { parseApiConfig } from "../../api/config.ts";
import { sha256Hex } from "../../shared/canonical_json.ts";
import { createLogger } from "../../shared/log.ts";
import { minerManifestKey } from "../../shared/s3_keys.ts";
import { createRegistry } from "../../shared/metrics.ts";
import type { Clock, ObjectReader, Presigner } from "../../shared/ports.ts";
import type { MetagraphSnapshot } from "../../shared/schemas/metagraph.ts";
import type { ZipRecord } from "../../shared/schemas/zip_universe.ts";
import { createKeyring, cryptoReady, type KeyringPair, signMessage } from "../../shared/signature.ts";
import { createFakeObjectReader } from "../../shared/testing/fake_object_reader.ts";
import { createFakePresigner } from "../../shared/testing/fake_presigner.ts";
import { createApiClient } from "../../shared/api_client.ts";
import { createApp } from "../../api/app.ts";
import type { ApiDeps } from "../../api/deps.ts";
import { createMetagraphCache } from "../../api/metagraph/metagraph_cache.ts";
import { createInlineVerifier } from "../../api/verifier.ts";

export const TEST_SECRET = "test-epoch-secret-0123456789abcdefghij";

/** A synthetic universe: 400 ZIPs in PA and NJ with expected listings spread over 150..2500. */
export function syntheticUniverse(count = 400): ZipRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const zipcode = String(15000 + i).padStart(5, "0");
    const expectedListings = 150 + ((i * 7919) % 2351);
    return {
      zipcode,
      state: i % 2 === 0 ? "PA" : "NJ",
      city: `Town ${i}`,
      county: `County ${i % 20}`,
      latitude: 40 + (i % 50) / 100,
      longitude: -75 - (i % 40) / 100,
      expectedListings,
      marketTier: expectedListings >= 600 ? "PREMIUM" : expectedListings >= 200 ? "STANDARD" : "EMERGING",
      geographicRegion: "Northeast",
      active: true,
    };
  });
}

/** Options of a test API. */
export interface TestApiOptions {
  env?: Record<string, string>;
  startMs?: number;
  universe?: ZipRecord[];
  /** Extra registered miners and permitted validators, by key derivation URI. */
  extraMiners?: string[];
  extraValidators?: string[];
  /** A real presigner and reader instead of the in-memory fake (integration tests on radosgw). */
  s3?: { presigner: Presigner; objectReader: ObjectReader };
  /** The clock, instead of the fake one that starts at `startMs` (integration tests use real time). */
  clock?: Clock;
}

/** A running test API and its handles. */
export type TestApi = Awaited<ReturnType<typeof createTestApi>>;

/** The shared API client of `pair` on the test API's app, in process (no socket), on its clock. */
export function apiClientOf(t: TestApi, pair: KeyringPair) {
  return createApiClient({
    baseUrl: "http://api.test",
    pair,
    clock: t.deps.clock,
    fetch: (input, init) =>
      Promise.resolve(t.app.request(String(input).replace("http://api.test", ""), init)),
  });
}

/** Builds the API around fakes. Call `close()` at the end of the test. */
export async function createTestApi(options: TestApiOptions = {}) {
  await cryptoReady();
  const keyring = createKeyring();
  const pairs = {
    miner: keyring.addFromUri("//zipmine/miner/1"),
    miner2: keyring.addFromUri("//zipmine/miner/2"),
    validator: keyring.addFromUri("//zipmine/validator/1"),
    poorValidator: keyring.addFromUri("//zipmine/validator/poor"),
    stranger: keyring.addFromUri("//zipmine/stranger"),
  };
  const extraMiners = (options.extraMiners ?? []).map((uri) => keyring.addFromUri(uri));
  const extraValidators = (options.extraValidators ?? []).map((uri) => keyring.addFromUri(uri));
  let nowMs = options.startMs ?? Date.UTC(2025, 9, 1, 16, 30);
  const clock = options.clock ?? { now: () => new Date(nowMs) };
  const kv = await Deno.openKv(":memory:");
  const config = parseApiConfig({
    EPOCH_SECRET: TEST_SECRET,
    S3_ACCESS_KEY_ID: "AKIATEST",
    S3_SECRET_ACCESS_KEY: "test-s3-secret",
    ...options.env,
  });
  const snapshot: MetagraphSnapshot = {
    netuid: config.NETUID,
    block: 1000,
    neurons: [
      {
        uid: 0,
        hotkey: pairs.validator.address,
        coldkey: pairs.validator.address,
        stake: 25_000,
        validatorPermit: true,
      },
      {
        uid: 1,
        hotkey: pairs.miner.address,
        coldkey: pairs.miner.address,
        stake: 10,
        validatorPermit: false,
      },
      {
        uid: 2,
        hotkey: pairs.miner2.address,
        coldkey: pairs.miner2.address,
        stake: 10,
        validatorPermit: false,
      },
      {
        uid: 3,
        hotkey: pairs.poorValidator.address,
        coldkey: pairs.poorValidator.address,
        stake: 500,
        validatorPermit: true,
      },
      ...[...extraMiners, ...extraValidators].map((pair, i) => ({
        uid: 4 + i,
        hotkey: pair.address,
        coldkey: pair.address,
        stake: extraValidators.includes(pair) ? 25_000 : 10,
        validatorPermit: extraValidators.includes(pair),
      })),
    ],
  };
  const metagraph = createMetagraphCache({
    description: "memory",
    load: () => Promise.resolve(structuredClone(snapshot)),
  }, config.NETUID);
  await metagraph.refresh(clock.now().getTime());
  const presigner = createFakePresigner({ clock, buckets: [config.S3_BUCKET, config.S3_VALIDATOR_BUCKET] });
  const logLines: string[] = [];
  const universe = options.universe ?? syntheticUniverse();
  const deps: ApiDeps = {
    config,
    kv,
    clock,
    presigner: options.s3?.presigner ?? presigner,
    objectReader: options.s3?.objectReader ?? createFakeObjectReader(presigner),
    metagraph,
    verifier: createInlineVerifier(),
    signer: keyring.addFromUri("//zipmine/api"),
    loadUniverse: () => Promise.resolve(universe),
    log: createLogger({
      sink: (l) => logLines.push(l),
      level: "debug",
      clock,
      secrets: [TEST_SECRET],
    }),
    metrics: createRegistry(),
    version: "test",
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    startedAtMs: clock.now().getTime(),
  };
  const { app, planner, sealed } = createApp(deps);
  const nowS = () => Math.floor(clock.now().getTime() / 1000);

  /** Signs a commitment as a Python client does: lower-case hex, no `0x`. */
  function sign<K extends CommitmentKind>(pair: KeyringPair, kind: K, params: CommitmentParams[K]): string {
    return signMessage(pair, buildCommitment(kind, params)).slice(2);
  }

  /** A signed GET with `hotkey`, `signature`, `timestamp` in the query string. */
  function signedGet(
    path: string,
    pair: KeyringPair,
    signature: string,
    timestamp = nowS(),
  ): Promise<Response> {
    const q = new URLSearchParams({ hotkey: pair.address, signature, timestamp: String(timestamp) });
    return Promise.resolve(app.request(`${path}?${q}`));
  }

  /** A POST with a JSON body. */
  function postJson(path: string, body: unknown): Promise<Response> {
    return Promise.resolve(app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }));
  }

  /** `GET /current` for `pair`, freshly signed; the response body is not read. */
  function currentResponse(pair: KeyringPair = pairs.miner): Promise<Response> {
    return signedGet(
      "/api/v1/zipcode-assignments/current",
      pair,
      sign(pair, "currentAssignment", { timestamp: nowS() }),
    );
  }

  /** The current assignment for `pair` (signed fresh), with its parsed body. */
  async function current(pair: KeyringPair = pairs.miner) {
    const res = await currentResponse(pair);
    return { res, body: await res.json() };
  }

  /**
   * Stores `manifest` at the part's key in the miner bucket (unless `upload` is false) and posts a
   * COMPLETED for it, signed over the key and hash as miners sign it.
   */
  function postCompleted(
    pair: KeyringPair,
    claim: { epochId: string; nonce: string; manifest?: string; manifestKey?: string; upload?: boolean },
  ): Promise<Response> {
    const manifest = claim.manifest ?? `{"manifest":"${pair.address}"}`;
    const manifestKey = claim.manifestKey ?? minerManifestKey(pair.address, claim.epochId);
    if (claim.upload !== false) presigner.putObject(config.S3_BUCKET, manifestKey, manifest);
    const manifestSha256 = sha256Hex(manifest);
    return postJson("/api/v1/zipcode-assignments/status", {
      hotkey: pair.address,
      signature: sign(pair, "statusReceipt", {
        epochId: claim.epochId,
        status: "COMPLETED",
        manifestKey,
        manifestSha256,
        timestamp: nowS(),
      }),
      timestamp: nowS(),
      epochId: claim.epochId,
      nonce: claim.nonce,
      status: "COMPLETED",
      s3UploadComplete: true,
      manifestSha256,
      ...(claim.manifestKey ? { manifestKey } : {}),
    });
  }

  return {
    app,
    planner,
    sealed,
    deps,
    kv,
    config,
    pairs,
    extraMiners,
    extraValidators,
    presigner,
    logLines,
    snapshot,
    metagraph,
    nowS,
    sign,
    signedGet,
    postJson,
    postCompleted,
    current,
    currentResponse,
    /** Moves the clock without refreshing the metagraph (it goes stale after METAGRAPH_MAX_AGE_SECONDS). */
    setNow: (ms: number) => void (nowMs = ms),
    /** Moves the clock and refreshes the metagraph, as the API's cron does every minute. */
    advance: async (ms: number) => {
      nowMs += ms;
      await metagraph.refresh(nowMs);
    },
    close: () => kv.close(),
  };
}
