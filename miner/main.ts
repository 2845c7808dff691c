/**
 * The miner's composition root (`deno task miner`): reads flags and knobs, loads the hotkey from the
 * bittensor wallet, builds the API client, the fetch stack, the crawler and the uploader, and mines every
 * epoch the API assigns: resuming an unfinished epoch after a restart, falling back to the cached
 * assignment while the API is down or paused.
 * @module
 */
import { join } from "node:path";
import { createApiClient } from "../shared/api_client.ts";
import { ConfigError, parseConfig, secretValues } from "../shared/config.ts";
import { createLogger } from "../shared/log.ts";
import { createRegistry } from "../shared/metrics.ts";
import { cryptoReady } from "../shared/signature.ts";
import { loadColdkeyAddress, loadHotkey, WalletError } from "../shared/wallet.ts";
import { parseMinerArgs, usage, UsageError } from "./args.ts";
import { createAssignmentProvider } from "./assignment_source.ts";
import { runEpoch } from "./epoch_runner.ts";
import { createFetchStack } from "./fetch/fetch_stack.ts";
import { createProgress } from "./progress.ts";
import { crawlZip, parseDetailMode } from "./scrape/crawl_zip.ts";
import { pruneEpochStates } from "./state/epoch_state.ts";
import { strategyHooks } from "./strategies.ts";
import { createUploader } from "./upload/presigned_post.ts";

const KEEP_EPOCH_STATES = 12;

async function main(argv: string[]): Promise<number> {
  const command = parseMinerArgs(argv);
  if (command.kind === "help") {
    console.log(usage());
    return 0;
  }
  const env = { ...Deno.env.toObject(), ...command.env };
  const config = parseConfig(env, "miner");
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  const now = () => new Date();
  const log = createLogger({
    sink: (line) => console.log(line),
    level: config.LOG_LEVEL,
    now,
    secrets: secretValues(config),
    fields: { component: "miner" },
  });
  await cryptoReady();
  const wallet = {
    wallet: config.WALLET_NAME,
    hotkey: config.WALLET_HOTKEY,
    path: config.WALLET_PATH || undefined,
    home,
  };
  const pair = await loadHotkey(wallet);
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
  });
  const provider = createAssignmentProvider({
    api: { name: "api", current: () => api.current() },
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
  }
  return 0;

  async function mineOnce(): Promise<void> {
    const sourced = await provider.current();
    if (!sourced) {
      log.warn("no assignment available (API unreachable and no current cached assignment)");
      return;
    }
    const hooks = strategyHooks(config.MINER_STRATEGY, Date.parse(sourced.assignment.epochStart));
    const outcome = await runEpoch(sourced.assignment, {
      ...hooks,
      api,
      scrapeZip: async (zip, ctx) =>
        (await crawlZip(zip, { fetcher, baseUrl: config.LISTING_SITE_URL, detail, now, ...ctx })).records,
      upload: uploader.upload,
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

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage()}`);
      Deno.exit(2);
    }
    if (error instanceof ConfigError || error instanceof WalletError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}
