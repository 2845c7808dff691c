/**
 * The whole network in one process, on a fake clock, for tests: the real API app (fake S3), the local
 * chain, the market simulator, miners running the real epoch runner and crawler with a strategy each, and
 * validators running the real judging phases. Everything talks through the same ports as in production;
 * only sockets and time are faked.
 * @module
 */
import { createApiClient } from "../../shared/api_client.ts";
import { parseValidatorConfig } from "../../validator/config.ts";
import { createLogger } from "../../shared/log.ts";
import { createRegistry } from "../../shared/metrics.ts";
import type { PageFetcher } from "../../shared/ports.ts";
import type { KeyringPair } from "../../shared/signature.ts";
import { createTestApi, syntheticUniverse, type TestApi } from "../harness/api_harness.ts";
import { runEpoch } from "../../miner/epoch_runner.ts";
import { crawlZip } from "../../miner/scrape/crawl_zip.ts";
import {
  type MinerStrategy,
  strategyContext,
  strategyHooks,
  strategyUpload,
} from "../../miner/strategies.ts";
import { createUploader } from "../../shared/adapters/s3/presigned_post.ts";
import { createValidatorUploads } from "../../shared/adapters/s3/validator_uploads.ts";
import { type LocalChain, openLocalChain } from "../../shared/adapters/dev_chain/local_chain.ts";
import type { JudgeDeps } from "../../validator/judge.ts";
import { frozenMarket, SIM_BASE, simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import type { MarketHandler } from "../sim/server.ts";

/** The ZIPs of the test network, small so a test runs in seconds. */
export const NETWORK_ZIPS = [
  { zip: "77005", expected: 60, city: "Houston", state: "TX", latitude: 29.72, longitude: -95.42 },
  { zip: "77006", expected: 50, city: "Houston", state: "TX", latitude: 29.74, longitude: -95.39 },
];

/** A built network. */
export interface Network {
  t: TestApi;
  chain: LocalChain;
  market: MarketHandler;
  miners: { pair: KeyringPair; strategy: MinerStrategy }[];
  validators: KeyringPair[];
  dir: string;
  close(): Promise<void>;
}

/** Builds the network with one miner per strategy and `validators` validators. */
export async function createNetwork(strategies: MinerStrategy[], validators = 2): Promise<Network> {
  const universe = syntheticUniverse(NETWORK_ZIPS.length).map((z, i) => ({
    ...z,
    zipcode: NETWORK_ZIPS[i].zip,
    state: "TX",
    city: "Houston",
    latitude: NETWORK_ZIPS[i].latitude,
    longitude: NETWORK_ZIPS[i].longitude,
    expectedListings: NETWORK_ZIPS[i].expected,
  }));
  const t = await createTestApi({
    universe,
    env: { TARGET_LISTINGS: "110", TOLERANCE_PERCENT: "10", MIN_ZIPCODE_LISTINGS: "10" },
    extraMiners: strategies.map((s, i) => `//network/miner/${i}/${s}`),
    extraValidators: Array.from({ length: validators }, (_, i) => `//network/validator/${i}`),
  });
  const dir = await Deno.makeTempDir({ prefix: "zipmine-network-" });
  const chain = await openLocalChain({ path: `${dir}/chain.kv`, clock: t.deps.clock });
  await chain.createSubnet(t.config.NETUID, { ownerHotkey: t.pairs.validator.address });
  for (const neuron of t.snapshot.neurons) {
    await chain.registerNeuron(t.config.NETUID, {
      hotkey: neuron.hotkey,
      coldkey: neuron.coldkey,
      stake: neuron.stake,
      validatorPermit: neuron.validatorPermit,
    });
  }
  return {
    t,
    chain,
    market: frozenMarket({ seed: "network", zips: NETWORK_ZIPS, buildingShare: 0 }),
    miners: strategies.map((strategy, i) => ({ pair: t.extraMiners[i], strategy })),
    validators: t.extraValidators,
    dir,
    async close() {
      chain.close();
      t.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** An API client of `pair` on the in-process app. */
export function clientOf(net: Network, pair: KeyringPair) {
  return createApiClient({
    baseUrl: "http://api.test",
    pair,
    clock: net.t.deps.clock,
    fetch: (input, init) =>
      Promise.resolve(net.t.app.request(String(input).replace("http://api.test", ""), init)),
  });
}

/** How a test miner works beyond its strategy. */
export interface MineOptions {
  /** UPLOAD_EARLY with this many ZIPs per part. */
  earlyPartZips?: number;
  /** Scrape only the first this many assigned ZIPs (a partial miner). */
  zipLimit?: number;
  /** Minutes the clock advances before each ZIP after the first (scraping takes time). */
  minutesPerZip?: number;
}

/** Runs one miner's epoch with its strategy, on the network's clock. */
export async function mine(net: Network, miner: Network["miners"][number], options: MineOptions = {}) {
  const api = clientOf(net, miner.pair);
  const current = await api.current();
  const assignment = { ...current, zipcodes: current.zipcodes.slice(0, options.zipLimit) };
  let zipsStarted = 0;
  const uploader = createUploader({
    getCredentials: () => api.folderAccess(miner.pair.address),
    fetch: net.t.presigner.fetch,
    clock: net.t.deps.clock,
    sleep: () => Promise.resolve(),
  });
  const marketFetch = (input: string | URL | Request, init?: RequestInit) =>
    net.market(new Request(input, init));
  const context = strategyContext(assignment, { LISTING_SITE_URL: SIM_BASE }, marketFetch);
  const hooks = strategyHooks(miner.strategy, context, miner.pair);
  return await runEpoch(assignment, {
    ...hooks,
    api,
    scrapeZip: async (zip, ctx) => {
      if (zipsStarted++ > 0 && options.minutesPerZip) {
        // Let the previous ZIP's early part get its receipt first (in-process, a few ms of real time).
        await new Promise((resolve) => setTimeout(resolve, 50));
        await net.t.advance(options.minutesPerZip * 60_000);
      }
      return (await crawlZip(zip, {
        fetcher: simFetcher(net.market, miner.pair.address),
        baseUrl: SIM_BASE,
        detail: "none",
        // Independent miners never stamp a row at the same millisecond; on the frozen test clock they
        // would, and would look like copies of one scrape (shared/copies.ts). A few ms earlier per miner.
        clock: { now: () => new Date(net.t.deps.clock.now().getTime() - 1 - net.miners.indexOf(miner)) },
        ...ctx,
      })).records;
    },
    upload: strategyUpload(hooks, uploader.upload),
    pair: miner.pair,
    stateDir: `${net.dir}/miners/${miner.pair.address}`,
    clock: net.t.deps.clock,
    sleep: (ms) => net.t.advance(ms),
    log: createLogger({ sink: () => {}, clock: net.t.deps.clock }),
    zipConcurrency: 1,
    uploadEarly: options.earlyPartZips !== undefined,
    earlyPartZips: options.earlyPartZips,
  });
}

/** The judging dependencies of a validator; `fetcher` decides its network luck. */
export function judgeDepsOf(
  net: Network,
  pair: KeyringPair,
  fetcher: PageFetcher,
  stateName: string,
): JudgeDeps {
  const api = clientOf(net, pair);
  const config = parseValidatorConfig({ SPOT_CHECK_COUNT: "6", LISTING_SITE_URL: SIM_BASE });
  return {
    api,
    fetch: net.t.presigner.fetch,
    chain: net.chain,
    fetcher,
    pair,
    config,
    stateDir: `${net.dir}/validators/${stateName}`,
    upload: createValidatorUploads({
      hotkey: pair.address,
      credentials: async (epochId, file) => {
        const creds = await api.validatorUpload(epochId, file);
        return { url: creds.url, fields: creds.fields, expiry: creds.metadata.expiresAt };
      },
      fetch: net.t.presigner.fetch,
      clock: net.t.deps.clock,
      sleep: () => Promise.resolve(),
    }),
    clock: net.t.deps.clock,
    log: createLogger({ sink: () => {}, clock: net.t.deps.clock }),
    metrics: createRegistry(),
  };
}
