/**
 * The API's composition root and Deno Deploy entry: parses the configuration, builds the real adapters
 * (Deno KV, the S3 presigner and the S3 reader of the validators' reports, the metagraph source), serves the
 * Hono app and schedules the minute job that refreshes the metagraph, plans the next epoch ahead of its
 * boundary and purges old history.
 *
 *     deno task api        (locally; KV at KV_PATH; sr25519 checks on API_VERIFY_WORKERS threads)
 *     deployctl deploy --entrypoint=api/main.ts   (Deno Deploy; managed KV, Deno.cron, inline checks)
 * @module
 */
import { ConfigError, secretValues } from "../shared/config.ts";
import { API_TABLE, type ApiConfig, parseApiConfig } from "./config.ts";
import { createLogger } from "../shared/log.ts";
import { createRegistry } from "../shared/metrics.ts";
import { createKeyring, cryptoReady } from "../shared/signature.ts";
import { apiSigningSeed } from "../shared/epoch_secrets.ts";
import { hexToU8a } from "@polkadot/util";
import { createS3ObjectReader } from "../shared/adapters/s3/s3_object_reader.ts";
import { createS3Presigner } from "../shared/adapters/s3/s3_presigner.ts";
import { createApp } from "./app.ts";
import type { ApiDeps } from "./deps.ts";
import { metagraphSourceFromConfig } from "./metagraph/file_source.ts";
import { createMetagraphCache, type MetagraphCache } from "./metagraph/metagraph_cache.ts";
import { onDenoDeploy, openApiKv } from "./open_kv.ts";
import { createInlineVerifier, createWorkerVerifier } from "./verifier.ts";
import type { Planner } from "./planner.ts";
import type { SealedPlanPublisher } from "./sealed_plans.ts";
import { purgeRateWindows } from "./stores/admission.ts";
import { purgeHistory } from "./stores/epochs.ts";
import { recordHeartbeat } from "./stores/heartbeats.ts";
import { loadUniverse } from "./stores/universe.ts";
import { loadDefaultTable } from "./zip_universe/default_table.ts";

const VERSION = "0.1.0";
const UNIVERSE_CACHE_MS = 60_000;
/** Well under API_DOWN_GRACE_SECONDS: where timers run (self-hosted) the minute job is not the only beat. */
const HEARTBEAT_EVERY_MS = 5_000;

/** The configuration; exits with the reason when it is invalid. */
function configOrExit(env: Record<string, string>): ApiConfig {
  try {
    return parseApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}

/** What every phase of the start uses. */
type Basics = Pick<ApiDeps, "config" | "kv" | "clock" | "log" | "metrics">;

/** The metagraph cache and its refresh, which logs and counts a failure instead of throwing. */
function openMetagraph(basics: Basics): { metagraph: MetagraphCache; refreshMetagraph: () => Promise<void> } {
  const { config, clock, log, metrics } = basics;
  const metagraph = createMetagraphCache(
    metagraphSourceFromConfig(config.METAGRAPH_SOURCE, {
      netuid: config.NETUID,
      clock,
      log,
      metrics,
    }),
    config.NETUID,
  );
  const refreshMetagraph = async () => {
    try {
      const snapshot = await metagraph.refresh(clock.now().getTime());
      log.debug("metagraph loaded", {
        source: metagraph.source.description,
        neurons: snapshot.neurons.length,
      });
    } catch (error) {
      metrics.counter("zipmine_api_metagraph_errors_total", "Failed metagraph refreshes").inc();
      log.error("metagraph refresh failed", { source: metagraph.source.description, error });
    }
  };
  return { metagraph, refreshMetagraph };
}

/** The app's dependencies: the S3 adapters under the API's one key, the signer, the verifier, the cached universe. */
function buildDeps(basics: Basics, metagraph: MetagraphCache): ApiDeps {
  const { config, kv, clock, log, metrics } = basics;
  // One key for both: presigning for miners and validators, and reading the validators' reports.
  const s3 = {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  };
  // Plans and stats read the universe; re-reading 40k records per request would be wasteful.
  let universe: { atMs: number; value: Promise<Awaited<ReturnType<typeof loadUniverse>>> } | null = null;
  return {
    config,
    kv,
    clock,
    presigner: createS3Presigner(s3),
    objectReader: createS3ObjectReader(s3),
    metagraph,
    signer: createKeyring().addFromSeed(
      config.API_SIGNING_SEED ? hexToU8a(config.API_SIGNING_SEED) : apiSigningSeed(config.EPOCH_SECRET!),
    ),
    verifier: onDenoDeploy() || config.API_VERIFY_WORKERS === 0
      ? createInlineVerifier()
      : createWorkerVerifier(config.API_VERIFY_WORKERS),
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    loadUniverse: () => {
      const nowMs = clock.now().getTime();
      if (!universe || nowMs - universe.atMs > UNIVERSE_CACHE_MS) {
        universe = { atMs: nowMs, value: loadUniverse(kv, loadDefaultTable) };
      }
      return universe.value;
    },
    log,
    metrics,
    version: VERSION,
    startedAtMs: clock.now().getTime(),
  };
}

/** Heartbeats, and the minute job that refreshes the metagraph, plans ahead and purges; each runs once first. */
async function startSchedule(
  basics: Basics,
  jobs: { refreshMetagraph: () => Promise<void>; planner: Planner; sealed: SealedPlanPublisher },
): Promise<void> {
  const { config, kv, clock, log, metrics } = basics;
  const { refreshMetagraph, planner, sealed } = jobs;
  // Heartbeats tell, after an outage, when the API was down (outage receipts, issue 18).
  const heartbeat = () =>
    recordHeartbeat(kv, clock.now().getTime()).catch((error) => log.warn("heartbeat failed", { error }));
  await heartbeat();
  setInterval(heartbeat, HEARTBEAT_EVERY_MS);
  const minuteJob = async () => {
    await heartbeat();
    await refreshMetagraph();
    try {
      await planner.current();
      await planner.planAhead();
      await sealed.publishAhead();
      const nowMs = clock.now().getTime();
      await sealed.purge(nowMs - config.HISTORY_RETENTION_DAYS * 86_400_000);
      const purged = await purgeHistory(
        kv,
        nowMs - config.HISTORY_RETENTION_DAYS * 86_400_000,
        nowMs - config.COOLDOWN_HOURS * 3_600_000,
      );
      await purgeRateWindows(kv, nowMs);
      if (purged > 0) log.info("old epochs purged", { purged });
    } catch (error) {
      metrics.counter("zipmine_api_cron_errors_total", "Failed runs of the minute job").inc();
      log.error("minute job failed", { error });
    }
  };
  // Deno.cron's finest schedule is one minute: enough for a 15-minute planning lead and a 15-minute
  // metagraph staleness limit; short localnet epochs are also planned lazily on the first request.
  Deno.cron("zipmine-api-minute", "* * * * *", minuteJob);
  await minuteJob();
}

async function main(env: Record<string, string>): Promise<void> {
  const config = configOrExit(env);
  const clock = { now: () => new Date() };
  const log = createLogger({
    sink: (line) => console.log(line),
    level: config.LOG_LEVEL,
    clock,
    secrets: secretValues(API_TABLE, config),
    fields: { component: "api" },
  });
  await cryptoReady();
  const kv = await openApiKv(config.KV_PATH);
  const metrics = createRegistry();
  const basics: Basics = { config, kv, clock, log, metrics };
  const { metagraph, refreshMetagraph } = openMetagraph(basics);
  await refreshMetagraph();
  const { app, planner, sealed } = createApp(buildDeps(basics, metagraph));
  await startSchedule(basics, { refreshMetagraph, planner, sealed });

  Deno.serve({
    port: config.API_PORT,
    hostname: config.API_HOSTNAME,
    onListen: ({ hostname, port }) =>
      log.info("api listening", { url: `http://${hostname}:${port}`, version: VERSION }),
  }, (request, info) => app.fetch(request, info));
}

if (import.meta.main) await main(Deno.env.toObject());
