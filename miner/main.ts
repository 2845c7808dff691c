/**
 * The miner's composition root (`deno task miner`): reads flags and knobs, loads the hotkey from the
 * bittensor wallet, builds the API client, the fetch stack, the crawler and the uploader, and mines every
 * epoch the API assigns: resuming an unfinished epoch after a restart, falling back to the cached
 * assignment while the API is down or paused.
 * @module
 */
import { MINER_PROGRAM } from "./config.ts";
import { join } from "node:path";
import { createApiClient } from "../shared/api_client.ts";
import { createRegistry } from "../shared/metrics.ts";
import { runCli, startNode } from "../shared/adapters/node/cli_runner.ts";
import { serveMetrics } from "../shared/adapters/node/metrics_server.ts";
import { loadColdkeyAddress } from "../shared/adapters/node/wallet.ts";
import { parseMinerArgs, usage } from "./args.ts";
import { createAssignmentProvider } from "./assignment_source.ts";
import { runEpoch } from "./epoch_runner.ts";
import { createFetchStack } from "../shared/adapters/fetch/fetch_stack.ts";
import { createProgress } from "./progress.ts";
import { crawlZip } from "./scrape/crawl_zip.ts";
import { parseDetailMode } from "./scrape/detail_mode.ts";
import { pruneEpochStates } from "./state/epoch_state.ts";
import { strategyContext, strategyHooks, strategyUpload } from "./strategies.ts";
import { announceAxon, openChain } from "../shared/adapters/chain/open_chain.ts";
import { createDendrite } from "../shared/adapters/axon/dendrite.ts";
import { createRelaySource, rememberApiHotkey, sealedPlanCopies } from "./relay_source.ts";
import { createSealedSource } from "./sealed_source.ts";
import { createHeldPolicies } from "./upload_policies.ts";
import { heldSealedPlansDeps } from "../shared/adapters/sealed_plans/held.ts";
import { createUploader } from "../shared/adapters/s3/presigned_post.ts";
import type { ApiClient } from "../shared/api_client.ts";
import type { NodeStart } from "../shared/adapters/node/cli_runner.ts";
import type { Registry } from "../shared/metrics.ts";
import type { PacedFetcher } from "../shared/adapters/fetch/paced_fetcher.ts";
import type { EpochOptions } from "../shared/epoch.ts";
import type { MinerConfig } from "./config.ts";
import type { RelaySourceDeps } from "./relay_source.ts";
import type { DetailMode } from "./scrape/detail_mode.ts";
import type { Progress } from "./progress.ts";

const KEEP_EPOCH_STATES = 12;

/** What every phase of the miner reads. */
interface Node extends Omit<NodeStart<MinerConfig>, "home" | "wallet"> {
  coldkey: string;
  stateDir: string;
  metrics: Registry;
}

/** The crawl's counters, registered before the metrics server starts. */
interface CrawlCounters {
  buildingsFailed: ReturnType<Registry["counter"]>;
  buildingsSkipped: number;
  totalMismatches: ReturnType<Registry["counter"]>;
}

async function main(argv: string[]): Promise<number> {
  const command = parseMinerArgs(argv);
  if (command.kind === "help") {
    console.log(usage());
    return 0;
  }
  const node = await startMiner(command.env);
  const { config, clock, log, pair, coldkey, stateDir, metrics } = node;
  const counters = crawlCounters(metrics);
  const metricsServer = serveMetrics(metrics, config.MINER_METRICS_PORT, log);
  const api = createApiClient({ baseUrl: config.API_URL, pair, clock, fetch });
  const fetcher = await createFetchStack(config, { logger: log, metrics });
  const detail = parseDetailMode(config.DETAIL_ENRICHMENT);
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };
  // Upload policies issued ahead, for uploads while the API is down (issue 18).
  const policies = createHeldPolicies({ api, coldkey, stateDir, epochOptions, clock, log });
  const uploader = createUploader({
    getCredentials: policies.credentials,
    fetch,
    clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    metrics,
  });
  const { chain, relayDeps } = await openRelay(node);
  const { sealed, provider } = assignmentSources(node, api, relayDeps, epochOptions);
  const progress = createProgress({
    tty: Deno.stderr.isTerminal(),
    write: (text) => void Deno.stderr.writeSync(new TextEncoder().encode(text)),
    log,
    counters: () => {
      const stats = fetcher.stats();
      return {
        requests: stats.requests,
        blocks: stats.exits.reduce((a, e) => a + (e.outcomes.blocked ?? 0), 0),
        buildingsSkipped: counters.buildingsSkipped,
      };
    },
    clock,
  });
  const mineOnce = createMiningPass(node, {
    api,
    provider,
    sealed,
    policies,
    fetcher,
    detail,
    upload: uploader.upload,
    progress,
    counters,
  });

  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  Deno.addSignalListener("SIGTERM", () => stop.abort());
  try {
    await mineUntilStopped(node, command.once, stop.signal, mineOnce);
  } finally {
    progress.stop();
    fetcher.close();
    chain?.close?.();
    await metricsServer?.shutdown();
  }
  return 0;
}

/** Knobs, logger and hotkey; the coldkey (the hotkey when the wallet has none) and the state folder. */
async function startMiner(env: Record<string, string>): Promise<Node> {
  const { config, home, clock, log, wallet, pair } = await startNode(MINER_PROGRAM, env);
  const coldkey = (await loadColdkeyAddress(wallet)) ?? pair.address;
  const stateDir = config.MINER_STATE_DIR || join(home, ".zipmine", "miner");
  await Deno.mkdir(stateDir, { recursive: true });
  if (config.MINER_STRATEGY !== "honest") {
    log.warn("localnet strategy active", { strategy: config.MINER_STRATEGY });
  }
  log.info("miner starting", {
    hotkey: pair.address,
    api: config.API_URL,
    site: config.LISTING_SITE_URL,
    stateDir,
  });
  return { config, clock, log, pair, coldkey, stateDir, metrics: createRegistry() };
}

function crawlCounters(metrics: Registry): CrawlCounters {
  return {
    buildingsFailed: metrics.counter(
      "miner_building_pages_failed_total",
      "Building or community pages skipped because they failed (their units are missing)",
    ),
    buildingsSkipped: 0,
    totalMismatches: metrics.counter(
      "miner_search_total_mismatches_total",
      "Searches whose cards did not add up to the page's totalResultCount",
    ),
  };
}

/** The chain (null when it cannot be read) with the axon announced, and what the validator relay needs. */
async function openRelay(node: Node) {
  const { config, clock, log, metrics, pair, stateDir } = node;
  // When the API is unreachable, validators relay the API-signed assignment (if the chain can be read).
  const chain = await openChain(config.CHAIN_ENDPOINT, { clock, log, metrics, stateDir }).catch((error) => {
    log.warn("no chain: the validator relay is off", { endpoint: config.CHAIN_ENDPOINT, error });
    return null;
  });
  if (chain && config.SERVE_AXON) {
    const i = config.SERVE_AXON.lastIndexOf(":");
    const axon = { ip: config.SERVE_AXON.slice(0, i), port: Number(config.SERVE_AXON.slice(i + 1)) };
    await announceAxon(chain, config.NETUID, pair, axon, log);
  }
  const relayDeps = chain
    ? {
      chain,
      netuid: config.NETUID,
      dendrite: createDendrite({ pair, clock }),
      pinnedApiHotkeys: config.API_ASSIGNMENT_HOTKEYS,
      stateDir,
      timeoutMs: config.DENDRITE_TIMEOUT_MS,
      clock,
      log,
    }
    : null;
  return { chain, relayDeps };
}

/** The assignment provider: the API first, then the validator relay (with a chain), then the sealed plan. */
function assignmentSources(
  node: Node,
  api: ApiClient,
  relayDeps: RelaySourceDeps | null,
  epochOptions: EpochOptions,
) {
  const { config, clock, log, stateDir } = node;
  // With the API and the relay both out, the epoch's plan sealed ahead opens with drand's pulse (issue 18).
  const sealed = createSealedSource({
    ...heldSealedPlansDeps(config, { fetch, stateDir, epochOptions, clock, log }),
    copies: relayDeps ? () => sealedPlanCopies(relayDeps) : undefined,
  });
  const provider = createAssignmentProvider({
    api: {
      name: "api",
      current: async () => {
        const { apiSignature: _s, apiHotkey, ...assignment } = await api.current();
        await rememberApiHotkey(stateDir, apiHotkey);
        return assignment;
      },
    },
    fallbacks: relayDeps ? [createRelaySource(relayDeps), sealed] : [sealed],
    stateDir,
    clock,
    log,
  });
  return { sealed, provider };
}

/** What one mining pass uses. */
interface PassParts {
  api: ApiClient;
  provider: ReturnType<typeof createAssignmentProvider>;
  sealed: ReturnType<typeof createSealedSource>;
  policies: ReturnType<typeof createHeldPolicies>;
  fetcher: PacedFetcher;
  detail: DetailMode;
  upload: ReturnType<typeof createUploader>["upload"];
  progress: Progress;
  counters: CrawlCounters;
}

/**
 * One pass: the current assignment (syncing sealed plans and held policies now and then), mined to the end.
 * Resolves whether an epoch was mined (false when it was already complete), null without an assignment.
 */
function createMiningPass(node: Node, parts: PassParts): () => Promise<boolean | null> {
  const { config, clock, log, pair, stateDir } = node;
  const { api, provider, sealed, policies, fetcher, detail, progress, counters } = parts;
  const syncEveryMs = Math.min(600, config.EPOCH_SECONDS / 4) * 1000;
  let syncedAtMs = -Infinity;
  return async () => {
    const sourced = await provider.current();
    // After asking the API, so a fresh miner has learned the API's key before it checks sealed plans.
    if (sourced?.source === "api" && clock.now().getTime() - syncedAtMs > syncEveryMs) {
      syncedAtMs = clock.now().getTime();
      await sealed.sync();
      await policies.sync();
    }
    if (!sourced) {
      log.warn("no assignment available (API unreachable and no current cached assignment)");
      return null;
    }
    const hooks = strategyHooks(config.MINER_STRATEGY, strategyContext(sourced.assignment, config), pair);
    const outcome = await runEpoch(sourced.assignment, {
      ...hooks,
      api,
      scrapeZip: async (zip, ctx) => {
        const onWarning = (message: string) => log.warn("crawl warning", { zip, message });
        const crawl = { fetcher, baseUrl: config.LISTING_SITE_URL, detail, clock, onWarning, ...ctx };
        const { records, stats } = await crawlZip(zip, crawl);
        counters.buildingsFailed.inc({}, stats.buildingsFailed);
        counters.buildingsSkipped += stats.buildingsFailed;
        counters.totalMismatches.inc({}, stats.totalMismatches);
        return records;
      },
      upload: strategyUpload(hooks, parts.upload),
      pair,
      stateDir,
      clock,
      log,
      onEvent: progress.onEvent,
      zipConcurrency: 2,
      uploadEarly: config.UPLOAD_EARLY,
    });
    if (outcome.status !== "already_completed") {
      log.info("epoch finished", { ...outcome, source: sourced.source });
    }
    await pruneEpochStates(stateDir, KEEP_EPOCH_STATES);
    return outcome.status !== "already_completed";
  };
}

/** Mines pass after pass, polling between them, until stopped (with `once`, until an epoch was mined). */
async function mineUntilStopped(
  node: Node,
  once: boolean,
  signal: AbortSignal,
  mineOnce: () => Promise<boolean | null>,
): Promise<void> {
  const { config, log } = node;
  let finished = false;
  while (!signal.aborted) {
    try {
      finished = (await mineOnce()) ?? finished;
    } catch (error) {
      // A failure of this pass (e.g. the store unreachable) is logged; the next pass resumes the epoch.
      if (!(error instanceof Error)) throw error;
      log.error("mining pass failed; retrying", { error });
    }
    if (once && finished) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config.POLL_INTERVAL_SECONDS * 1000);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

if (import.meta.main) await runCli(main, usage);
