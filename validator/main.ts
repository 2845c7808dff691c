/**
 * The validator's composition root (`deno task validator`): loads the hotkey, builds the API client, the
 * chain adapter (CHAIN_ENDPOINT), the fetch stack for spot checks and the publisher, serves `/metrics`,
 * and runs the judging loop (`loop.ts`) every few seconds until stopped.
 * @module
 */
import { VALIDATOR_PROGRAM } from "./config.ts";
import { join } from "node:path";
import { createApiClient } from "../shared/api_client.ts";
import { createRegistry } from "../shared/metrics.ts";
import { runCli, startNode } from "../shared/adapters/node/cli_runner.ts";
import { serveMetrics } from "../shared/adapters/node/metrics_server.ts";
import { createFetchStack } from "../shared/adapters/fetch/fetch_stack.ts";
import { createValidatorUploads } from "../shared/adapters/s3/validator_uploads.ts";
import { parseValidatorArgs, usage } from "./args.ts";
import { announceAxon, openChain } from "../shared/adapters/chain/open_chain.ts";
import { createAssignmentRelay } from "./relay.ts";
import { createValidatorSealedPlans } from "./sealed_plans.ts";
import { createRelayPulseSource, DRAND_RELAY_TIMEOUT_MS } from "../shared/adapters/sealed_plans/pulses.ts";
import { createChecksInstance } from "./checks/duckdb_checks.ts";
import { strategyUpload } from "./strategies.ts";
import { createValidatorLoop } from "./loop.ts";

const TICK_MS = 5_000;

async function main(argv: string[]): Promise<number> {
  const command = parseValidatorArgs(argv);
  if (command.kind === "help") {
    console.log(usage());
    return 0;
  }
  const { config, home, clock, log, pair } = await startNode(VALIDATOR_PROGRAM, command.env);
  const stateDir = config.VALIDATOR_STATE_DIR || join(home, ".zipmine", "validator");
  await Deno.mkdir(stateDir, { recursive: true });
  const metrics = createRegistry();
  const api = createApiClient({ baseUrl: config.API_URL, pair, clock, fetch });
  const chain = await openChain(config.CHAIN_ENDPOINT, {
    clock,
    log,
    metrics,
    stateDir,
    mechanisms: config.WEIGHTS_MECHANISMS,
    commitReveal: config.WEIGHTS_COMMIT_REVEAL,
    blockSeconds: config.CHAIN_BLOCK_SECONDS,
  });
  const fetcher = await createFetchStack(config, { logger: log, metrics });
  const upload = strategyUpload(
    config.VALIDATOR_STRATEGY,
    createValidatorUploads({
      hotkey: pair.address,
      credentials: async (epochId, file) => {
        const creds = await api.validatorUpload(epochId, file);
        return { url: creds.url, fields: creds.fields, expiry: creds.metadata.expiresAt };
      },
      fetch,
      clock,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
  );
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };
  const sealed = createValidatorSealedPlans({
    apiUrl: config.API_URL,
    fetch,
    pulses: createRelayPulseSource(config.DRAND_RELAY_URLS, { fetch, timeoutMs: DRAND_RELAY_TIMEOUT_MS }),
    beacon: config.DRAND_BEACON,
    pinnedApiHotkeys: config.API_ASSIGNMENT_HOTKEYS,
    stateDir,
    epochOptions,
    clock,
    log,
  });
  const checksInstance = await createChecksInstance();
  const loop = createValidatorLoop({
    judge: {
      api,
      fetch,
      chain,
      fetcher,
      pair,
      config,
      stateDir,
      upload,
      clock,
      log,
      metrics,
      checksInstance,
      sealed: sealed.opener,
    },
    weights: {
      chain,
      netuid: config.NETUID,
      pair,
      epochOptions,
      log,
      metrics,
    },
  });
  const server = serveMetrics(metrics, config.VALIDATOR_METRICS_PORT, log);
  // The relay: registered miners can fetch the API-signed assignment from this validator's axon.
  const relay = createAssignmentRelay({
    api,
    chain,
    netuid: config.NETUID,
    pair,
    clock,
    rateLimitPerMinute: config.AXON_RATE_LIMIT_PER_MINUTE,
    sealedPlans: sealed.store,
    epochOptions,
    log,
  });
  const axon = config.AXON_PORT === 0 ? null : Deno.serve({
    port: config.AXON_PORT,
    hostname: config.AXON_HOSTNAME,
    onListen: ({ hostname, port }) => log.info("axon listening", { url: `http://${hostname}:${port}` }),
  }, relay.handler);
  if (axon) {
    const ip = config.AXON_EXTERNAL_IP ||
      (config.AXON_HOSTNAME === "0.0.0.0" ? "127.0.0.1" : config.AXON_HOSTNAME);
    await announceAxon(chain, config.NETUID, pair, { ip, port: axon.addr.port }, log);
  }
  log.info("validator starting", {
    hotkey: pair.address,
    api: config.API_URL,
    chain: chain.description,
    stateDir,
  });

  // While the API is up: learn its key from what it signed and refresh the held sealed plans.
  const syncEveryMs = Math.min(600, config.EPOCH_SECONDS / 4) * 1000;
  let syncedAtMs = -Infinity;
  async function refreshSealedPlans(): Promise<void> {
    const signed = relay.cached();
    if (!signed || clock.now().getTime() - syncedAtMs < syncEveryMs) return;
    syncedAtMs = clock.now().getTime();
    await sealed.learnApiHotkey(signed.apiHotkey);
    await sealed.sync();
  }

  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  Deno.addSignalListener("SIGTERM", () => stop.abort());
  const errors = metrics.counter("zipmine_validator_tick_errors_total", "Loop iterations that failed");
  try {
    while (!stop.signal.aborted) {
      try {
        await relay.refresh();
        await refreshSealedPlans();
        await loop.tick(clock.now().getTime());
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        errors.inc();
        log.error("judging step failed; retrying", { error });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TICK_MS);
        stop.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  } finally {
    fetcher.close();
    checksInstance.closeSync();
    await server?.shutdown();
    await axon?.shutdown();
    chain.close?.();
  }
  return 0;
}

if (import.meta.main) await runCli(main, usage);
