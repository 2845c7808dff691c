/**
 * The validator's composition root (`deno task validator`): loads the hotkey, builds the API client, the
 * chain adapter (CHAIN_ENDPOINT), the fetch stack for spot checks and the publisher, serves `/metrics`,
 * and runs the judging loop (`loop.ts`) every few seconds until stopped.
 * @module
 */
import { VALIDATOR_PROGRAM, type ValidatorConfig } from "./config.ts";
import { join } from "node:path";
import { createApiClient } from "../shared/api_client.ts";
import { createRegistry } from "../shared/metrics.ts";
import { type NodeStart, runCli, startNode } from "../shared/adapters/node/cli_runner.ts";
import { serveMetrics } from "../shared/adapters/node/metrics_server.ts";
import { createFetchStack } from "../shared/adapters/fetch/fetch_stack.ts";
import { createValidatorUploads } from "../shared/adapters/s3/validator_uploads.ts";
import { parseValidatorArgs, usage } from "./args.ts";
import { announceAxon, openChain } from "../shared/adapters/chain/open_chain.ts";
import { createAssignmentRelay } from "./relay.ts";
import { createValidatorSealedPlans } from "./sealed_plans.ts";
import { heldSealedPlansDeps } from "../shared/adapters/sealed_plans/held.ts";
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
  const node = await startNode(VALIDATOR_PROGRAM, command.env);
  const stateDir = node.config.VALIDATOR_STATE_DIR || join(node.home, ".zipmine", "validator");
  await Deno.mkdir(stateDir, { recursive: true });
  const parts = await openParts(node, stateDir);
  const server = serveMetrics(parts.metrics, node.config.VALIDATOR_METRICS_PORT, node.log);
  const { relay, axon } = await serveRelay(node, parts);
  node.log.info("validator starting", {
    hotkey: node.pair.address,
    api: node.config.API_URL,
    chain: parts.chain.description,
    stateDir,
  });
  try {
    await runUntilStopped(node, parts, relay);
  } finally {
    parts.fetcher.close();
    parts.checksInstance.closeSync();
    await server?.shutdown();
    await axon?.shutdown();
    parts.chain.close?.();
  }
  return 0;
}

type ValidatorNode = NodeStart<ValidatorConfig>;
type ValidatorParts = Awaited<ReturnType<typeof openParts>>;

/** The API client, chain, fetch stack, uploads, sealed plans, checks and the judging loop. */
async function openParts({ config, clock, log, pair }: ValidatorNode, stateDir: string) {
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
  const sealed = createValidatorSealedPlans(
    heldSealedPlansDeps(config, { fetch, stateDir, epochOptions, clock, log }),
  );
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
    weights: { chain, netuid: config.NETUID, pair, epochOptions, log, metrics },
  });
  return { metrics, api, chain, fetcher, sealed, checksInstance, loop, epochOptions };
}

/** The relay: registered miners can fetch the API-signed assignment from this validator's axon. */
async function serveRelay({ config, clock, log, pair }: ValidatorNode, parts: ValidatorParts) {
  const relay = createAssignmentRelay({
    api: parts.api,
    chain: parts.chain,
    netuid: config.NETUID,
    pair,
    clock,
    rateLimitPerMinute: config.AXON_RATE_LIMIT_PER_MINUTE,
    sealedPlans: parts.sealed.store,
    epochOptions: parts.epochOptions,
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
    await announceAxon(parts.chain, config.NETUID, pair, { ip, port: axon.addr.port }, log);
  }
  return { relay, axon };
}

/** Ticks the judging loop every few seconds until SIGINT or SIGTERM; a failed tick is logged and retried. */
async function runUntilStopped(
  { config, clock, log }: ValidatorNode,
  parts: ValidatorParts,
  relay: ReturnType<typeof createAssignmentRelay>,
): Promise<void> {
  // While the API is up: learn its key from what it signed and refresh the held sealed plans.
  const syncEveryMs = Math.min(600, config.EPOCH_SECONDS / 4) * 1000;
  let syncedAtMs = -Infinity;
  async function refreshSealedPlans(): Promise<void> {
    const signed = relay.cached();
    if (!signed || clock.now().getTime() - syncedAtMs < syncEveryMs) return;
    syncedAtMs = clock.now().getTime();
    await parts.sealed.learnApiHotkey(signed.apiHotkey);
    await parts.sealed.sync();
  }

  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  Deno.addSignalListener("SIGTERM", () => stop.abort());
  const errors = parts.metrics.counter("zipmine_validator_tick_errors_total", "Loop iterations that failed");
  while (!stop.signal.aborted) {
    try {
      await relay.refresh();
      await refreshSealedPlans();
      await parts.loop.tick(clock.now().getTime());
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
}

if (import.meta.main) await runCli(main, usage);
