/**
 * The miner's composition root (`deno task miner`): reads flags and knobs, loads the hotkey from the
 * bittensor wallet, builds the API client, the fetch stack, the crawler and the uploader, and mines every
 * epoch the API assigns: resuming an unfinished epoch after a restart, falling back to the cached
 * assignment while the API is down or paused.
 * @module
 */
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
import { crawlZip, parseDetailMode } from "./scrape/crawl_zip.ts";
import { pruneEpochStates } from "./state/epoch_state.ts";
import { strategyHooks, strategyUpload } from "./strategies.ts";
import { announceAxon, openChain } from "../shared/adapters/chain/open_chain.ts";
import { createDendrite } from "../shared/adapters/axon/dendrite.ts";
import { createRelaySource, rememberApiHotkey } from "./relay_source.ts";
import { createUploader } from "../shared/adapters/s3/presigned_post.ts";

const KEEP_EPOCH_STATES = 12;

async function main(argv: string[]): Promise<number> {
  const command = parseMinerArgs(argv);
  if (command.kind === "help") {
    console.log(usage());
    return 0;
  }
  const { config, home, now, log, wallet, pair } = await startNode("miner", command.env);
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

  const metrics = createRegistry();
  const metricsServer = serveMetrics(metrics, config.MINER_METRICS_PORT, log);
  const api = createApiClient({ baseUrl: config.API_URL, pair, now, fetch });
  const fetcher = await createFetchStack(config, { logger: log, metrics });
  const detail = parseDetailMode(config.DETAIL_ENRICHMENT);
  const uploader = createUploader({
    getCredentials: async () => {
      const creds = await api.folderAccess(coldkey);
      return { url: creds.url, fields: creds.fields, expiry: creds.expiry };
    },
    fetch,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    metrics,
  });
  // When the API is unreachable, validators relay the API-signed assignment (if the chain can be read).
  const chain = await openChain(config.CHAIN_ENDPOINT, { now, log, metrics, stateDir }).catch((error) => {
    log.warn("no chain: the validator relay is off", { endpoint: config.CHAIN_ENDPOINT, error });
    return null;
  });
  if (chain && config.SERVE_AXON) {
    const i = config.SERVE_AXON.lastIndexOf(":");
    const axon = { ip: config.SERVE_AXON.slice(0, i), port: Number(config.SERVE_AXON.slice(i + 1)) };
    await announceAxon(chain, config.NETUID, pair, axon, log);
  }
  const provider = createAssignmentProvider({
    api: {
      name: "api",
      current: async () => {
        const { apiSignature: _s, apiHotkey, ...assignment } = await api.current();
        await rememberApiHotkey(stateDir, apiHotkey);
        return assignment;
      },
    },
    fallbacks: chain
      ? [createRelaySource({
        chain,
        netuid: config.NETUID,
        dendrite: createDendrite({ pair, now: Date.now }),
        pinnedApiHotkeys: config.API_ASSIGNMENT_HOTKEYS,
        stateDir,
        timeoutMs: config.DENDRITE_TIMEOUT_MS,
        now: Date.now,
        log,
      })]
      : [],
    stateDir,
    now: Date.now,
    log,
  });
  const progress = createProgress({
    tty: Deno.stderr.isTerminal(),
    write: (text) => void Deno.stderr.writeSync(new TextEncoder().encode(text)),
    log,
    counters: () => {
      const stats = fetcher.stats();
      return {
        requests: stats.requests,
        blocks: stats.exits.reduce((a, e) => a + (e.outcomes.blocked ?? 0), 0),
      };
    },
    now: Date.now,
  });

  const stop = new AbortController();
  let finished = false;
  Deno.addSignalListener("SIGINT", () => stop.abort());
  Deno.addSignalListener("SIGTERM", () => stop.abort());
  try {
    while (!stop.signal.aborted) {
      try {
        await mineOnce();
      } catch (error) {
        // A failure of this pass (e.g. the store unreachable) is logged; the next pass resumes the epoch.
        if (!(error instanceof Error)) throw error;
        log.error("mining pass failed; retrying", { error });
      }
      if (command.once && finished) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, config.POLL_INTERVAL_SECONDS * 1000);
        stop.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  } finally {
    progress.stop();
    fetcher.close();
    chain?.close?.();
    await metricsServer?.shutdown();
  }
  return 0;

  async function mineOnce(): Promise<void> {
    const sourced = await provider.current();
    if (!sourced) {
      log.warn("no assignment available (API unreachable and no current cached assignment)");
      return;
    }
    const hooks = strategyHooks(config.MINER_STRATEGY, Date.parse(sourced.assignment.epochStart), pair);
    const outcome = await runEpoch(sourced.assignment, {
      ...hooks,
      api,
      scrapeZip: async (zip, ctx) =>
        (await crawlZip(zip, { fetcher, baseUrl: config.LISTING_SITE_URL, detail, now, ...ctx })).records,
      upload: strategyUpload(hooks, uploader.upload),
      pair,
      stateDir,
      now: Date.now,
      log,
      onEvent: progress.onEvent,
      zipConcurrency: 2,
      uploadEarly: config.UPLOAD_EARLY,
    });
    if (outcome.status !== "already_completed") {
      log.info("epoch finished", { ...outcome, source: sourced.source });
    }
    await pruneEpochStates(stateDir, KEEP_EPOCH_STATES);
    finished = outcome.status !== "already_completed";
  }
}

if (import.meta.main) await runCli(main, usage);
