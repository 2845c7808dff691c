/**
 * `deno task localnet`: the whole subnet on this machine as separate processes over loopback, on an
 * accelerated clock: an object store, the API (local KV, a metagraph exported from the local chain), the
 * market simulator (twice: the second blocks often, for the unlucky validator), the local chain, and the
 * miners and validators of the roster (`roster.ts`; by default two honest miners, six cheats, five hostile
 * uploads and three validators, one publishing malformed evidence; built-in strategies or external
 * commands, `participants.ts`). It waits for the validators to finalise the requested epochs and
 * summarises them from their reports.
 * @module
 */
import { join } from "node:path";
import { type Epoch, epochAt, epochByIndex, type EpochOptions } from "../../shared/epoch.ts";
import { apiSigningSeed } from "../../shared/epoch_secrets.ts";
import { type ValidationReport } from "../../shared/schemas/report.ts";
import type { AssignmentResponse } from "../../shared/schemas/zipcode_assignments.ts";
import { createKeyring, cryptoReady } from "../../shared/signature.ts";
import { openLocalChain } from "../../shared/adapters/dev_chain/local_chain.ts";
import { exportMetagraph } from "../../shared/adapters/dev_chain/cli.ts";
import { loadDefaultTable } from "../../api/zip_universe/default_table.ts";
import { createSupervisor, freePort, waitForHttp } from "./processes.ts";
import { type Roster, writeWallet } from "./roster.ts";
import { minerProcess, type NetworkEnv, type ProcessSpec, validatorProcess } from "./participants.ts";
import { createBuckets, startStore } from "./s3_store.ts";
import { mirrorBuckets, recordDir } from "./record.ts";
import { type EpochSummary, summarise } from "./summary.ts";
import { scheduleOutageAtBoundary, startLocalBeacon } from "./outage_at_boundary.ts";

/** Options of a run. */
export interface LocalnetOptions {
  epochs: number;
  epochSeconds: number;
  s3: string;
  dir: string;
  onProgress: (line: string) => void;
  /** Aborting (Ctrl-C) stops every process and ends the run. */
  signal: AbortSignal;
  /**
   * Takes the API down during the first judged epoch (from 10 % to 50 % of it) and restarts the slow honest
   * miner with empty state while it is down, so it can only get its assignment from the validators' relay.
   */
  apiOutage: boolean;
  /** Commit-reveal on the subnet (default on, as on finney): validators then set weights through CRv4. */
  commitReveal?: boolean;
  /** Stops the API before the first judged epoch starts (`outage_at_boundary.ts`). */
  apiOutageAtBoundary?: boolean;
  /** Who takes part (`loadRoster()`). */
  roster: Roster;
}

const NETUID = 46;
const MINER_BUCKET = "zipmine-miner-data";
const VALIDATOR_BUCKET = "zipmine-validated-data";

/** Timings scaled to the epoch length (the production defaults are for 4-hour epochs). */
export function scaledTimings(epochSeconds: number) {
  const s = (fraction: number) => String(Math.max(1, Math.round(epochSeconds * fraction)));
  return {
    UPLOAD_LEAD_SECONDS: s(1 / 6),
    PLAN_LEAD_SECONDS: s(1 / 4),
    JUDGE_DEADLINE_LEAD_SECONDS: s(0.55),
    EVIDENCE_LEAD_SECONDS: s(0.4),
    FINALIZE_LEAD_SECONDS: s(0.2),
    TEMPO_SECONDS: s(0.5),
    API_DOWN_GRACE_SECONDS: String(Math.max(5, Math.round(epochSeconds / 8))),
  };
}

/** Runs the network until `epochs` epochs are judged; returns their summaries. */
export async function runLocalnet(options: LocalnetOptions): Promise<EpochSummary[]> {
  const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  const dir = options.dir;
  await Deno.mkdir(dir, { recursive: true });
  const supervisor = createSupervisor(root, join(dir, "logs"));
  const timings = scaledTimings(options.epochSeconds);
  const epochOptions: EpochOptions = {
    epochSeconds: options.epochSeconds,
    uploadLeadSeconds: Number(timings.UPLOAD_LEAD_SECONDS),
  };
  await cryptoReady();
  const roster = options.roster;
  const store = await startStore(options.s3, supervisor, root);
  const beacon = startLocalBeacon();
  try {
    await createBuckets(store, [MINER_BUCKET, VALIDATOR_BUCKET]);
    options.onProgress(`object store ready at ${store.endpoint} (${options.s3})`);

    // The local chain: the subnet, its validators and miners; the API reads its metagraph export.
    const chainPath = join(dir, "chain.kv");
    const chain = await openLocalChain({ path: chainPath, clock: { now: () => new Date() } });
    await chain.createSubnet(NETUID, {
      ownerHotkey: roster.owner.address,
      hyperparameters: { weightsRateLimit: 1, tempo: 10, commitRevealEnabled: options.commitReveal ?? true },
    });
    for (const v of roster.validators) {
      await chain.registerNeuron(NETUID, {
        hotkey: v.pair.address,
        coldkey: v.pair.address,
        stake: v.stake,
        validatorPermit: true,
      });
    }
    for (const m of roster.miners) {
      await chain.registerNeuron(NETUID, { hotkey: m.pair.address, coldkey: m.pair.address, stake: 1 });
    }
    const metagraphPath = join(dir, "metagraph.json");
    await exportMetagraph(chain, NETUID, metagraphPath);
    chain.close();
    const wallets = join(dir, "wallets");
    for (const m of roster.miners) await writeWallet(wallets, m.name, "miner");
    for (const v of roster.validators) await writeWallet(wallets, v.name, "validator");

    // The market: the API's eligible ZIPs with their real places and expected counts.
    const zipsFile = join(dir, "market_zips.json");
    const table = (await loadDefaultTable()).filter((z) =>
      z.expectedListings >= 200 && z.expectedListings <= 3000
    );
    await Deno.writeTextFile(
      zipsFile,
      JSON.stringify(table.map((z) => ({
        zip: z.zipcode,
        expected: z.expectedListings,
        city: z.city,
        state: z.state,
        latitude: z.latitude,
        longitude: z.longitude,
      }))),
    );
    const marketStart = new Date().toISOString();
    const startMarket = async (name: string, blockRate: number) => {
      const port = freePort();
      await supervisor.start(name, ["run", "-A", "tests/sim/main.ts"], {
        MARKET_PORT: String(port),
        MARKET_SEED: "localnet",
        MARKET_ZIPS_FILE: zipsFile,
        MARKET_TIME_SCALE: "0",
        MARKET_START_AT: marketStart,
        MARKET_PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
        MARKET_BLOCK_RATE: String(blockRate),
        MARKET_REAL_VARIANTS: "true",
      });
      await waitForHttp(`http://127.0.0.1:${port}/__sim/health`, 30_000, name);
      return `http://127.0.0.1:${port}`;
    };
    const market = await startMarket("market", 0);
    const hostileMarket = await startMarket("market-hostile", 0.6);

    const common = {
      NETUID: String(NETUID),
      EPOCH_SECONDS: String(options.epochSeconds),
      ...timings,
      LOG_LEVEL: "info",
      CHAIN_ENDPOINT: `local:${chainPath}`,
      ...beacon.env,
    };
    const epochSecret = crypto.randomUUID() + crypto.randomUUID();
    // Miners pin the API's signing address, as operators would, to verify relayed assignments.
    const apiHotkey = createKeyring().addFromSeed(apiSigningSeed(epochSecret)).address;
    const s3 = {
      S3_ENDPOINT: store.endpoint,
      S3_REGION: store.region,
      S3_FORCE_PATH_STYLE: "true",
      S3_BUCKET: MINER_BUCKET,
      S3_VALIDATOR_BUCKET: VALIDATOR_BUCKET,
    };
    const apiPort = freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await supervisor.start("api", ["run", "-A", "api/main.ts"], {
      ...common,
      ...s3,
      S3_ACCESS_KEY_ID: store.accessKeyId,
      S3_SECRET_ACCESS_KEY: store.secretAccessKey,
      EPOCH_SECRET: epochSecret,
      KV_PATH: join(dir, "api.kv"),
      METAGRAPH_SOURCE: `file:${metagraphPath}`,
      API_PORT: String(apiPort),
      API_HOSTNAME: "127.0.0.1",
      TARGET_LISTINGS: "500",
      TOLERANCE_PERCENT: "20",
      COOLDOWN_HOURS: "1",
    });
    await waitForHttp(`${apiUrl}/healthcheck`, 60_000, "api");
    options.onProgress(
      `api ready at ${apiUrl} (dashboard: ${apiUrl}/); market at ${market} (hostile copy at ${hostileMarket})`,
    );

    const net: NetworkEnv = {
      common,
      apiUrl,
      market,
      hostileMarket,
      s3,
      apiHotkey,
      wallets,
      dir,
      freePort,
    };
    for (const m of roster.miners) await startProcess(supervisor, minerProcess(m, net));
    for (const v of roster.validators) await startProcess(supervisor, validatorProcess(v, net));

    // The first judged epoch is the running one if the miners still have most of it, else the next.
    const now = Date.now();
    const running = epochAt(now, epochOptions);
    // (With --api-outage always the next one: the outage needs a clean start.)
    const outage = options.apiOutage || options.apiOutageAtBoundary;
    const first = !outage && now < running.start + (running.submissionDeadline - running.start) * 0.4
      ? running
      // The boundary outage needs the programs up and synced well before the epoch starts.
      : epochByIndex(
        running.index + (options.apiOutageAtBoundary && running.end - now < 60_000 ? 2 : 1),
        epochOptions,
      );
    const judged = Array.from(
      { length: options.epochs },
      (_, i) => epochByIndex(first.index + i, epochOptions),
    );
    const last = judged[judged.length - 1];
    options.onProgress(
      `${roster.miners.length} miners and ${roster.validators.length} validators started; judging ${
        judged.map((e) => e.id).join(", ")
      }; ` +
        `the last is finalised at about ${
          new Date(last.validationEnd - Number(timings.FINALIZE_LEAD_SECONDS) * 1000).toISOString()
        }`,
    );

    if (options.apiOutage) scheduleOutage(supervisor, judged[0], roster, dir, options.onProgress);
    if (options.apiOutageAtBoundary) scheduleOutageAtBoundary(supervisor, judged[0], options.onProgress);

    const roles = new Map(roster.miners.map((m) => [m.pair.address, { label: m.label, expect: m.expect }]));
    const agreeing = new Set(roster.validators.filter((v) => v.agrees).map((v) => v.pair.address));
    const summaries: EpochSummary[] = [];
    // Which path each validator's weights landed through, as the chain holds them.
    const chainView = async () => {
      const handle = await openLocalChain({ path: chainPath, clock: { now: () => new Date() } });
      try {
        const [onChain, params] = await Promise.all([handle.weights(NETUID), handle.hyperparameters(NETUID)]);
        return {
          commitReveal: params.commitRevealEnabled,
          weights: roster.validators.map((v) => {
            const w = onChain.find((x) => x.hotkey === v.pair.address);
            return { hotkey: v.pair.address, via: w?.via ?? null, block: w?.block ?? null };
          }),
        };
      } finally {
        handle.close();
      }
    };
    let shown = { line: "", atMs: 0 };
    for (const epoch of judged) {
      const reportPaths = roster.validators.map((v) =>
        join(dir, "validators", v.name, "epochs", epoch.id, "report.json")
      );
      const deadline = epoch.validationEnd + 60_000;
      for (;;) {
        const reports = await Promise.all(reportPaths.map(readJson<ValidationReport>));
        const crashed = await supervisor.exited();
        if (crashed.length > 0) {
          throw new Error(
            `processes exited: ${
              crashed.map((c) => `${c.name} (${c.code})`).join(", ")
            }; logs in ${dir}/logs`,
          );
        }
        if (reports.every((r) => r !== null)) {
          const facts = await readJson<{ assignment: AssignmentResponse }>(
            join(dir, "validators", roster.validators[0].name, "epochs", epoch.id, "facts.json"),
          );
          const outputs = roster.validators.map((v) =>
            `s3://${VALIDATOR_BUCKET}/validators/${v.pair.address}/epoch=${epoch.id}/`
          );
          const summary = summarise(
            facts!.assignment,
            reports as ValidationReport[],
            roles,
            outputs,
            agreeing,
          );
          summaries.push({ ...summary, chain: await chainView() });
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`epoch ${epoch.id} was not finalised in time; logs in ${dir}/logs`);
        }
        if (options.signal.aborted) throw new Error("interrupted; every process was stopped");
        // Progress when something changed, else every half minute.
        const line = await progressLine(dir, epoch.id, roster, reports.filter(Boolean).length);
        if (line !== shown.line || Date.now() - shown.atMs > 30_000) {
          options.onProgress(line);
          shown = { line, atMs: Date.now() };
        }
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
    // Weights committed late in the run are still sealed: the chain reveals them in the next chain epoch
    // (11 blocks) once the beacon's round is out. Wait for that, bounded, so the last summary shows the path.
    const final = summaries[summaries.length - 1];
    const waitUntil = Date.now() + 2 * 11 * 12_000 + 30_000;
    while (final?.chain && final.chain.weights.some((w) => w.via === null) && Date.now() < waitUntil) {
      if (options.signal.aborted) throw new Error("interrupted; every process was stopped");
      options.onProgress("waiting for the chain to reveal the validators' last weights");
      await new Promise((r) => setTimeout(r, 10_000));
      final.chain = await chainView();
    }
    await leaveRecord(dir, roster, judged[judged.length - 1].id, store, options.onProgress);
    return summaries;
  } finally {
    await supervisor.stopAll();
    await store.stop();
    await beacon.stop();
  }
}

/**
 * The API outage of `--api-outage`, during `epoch`: the slow honest miner is stopped with its state wiped
 * just before the epoch starts (so it has not seen the epoch); once the validators have cached the new
 * assignment (10 % into the epoch) the API goes down and that miner starts again, so it can only get its
 * assignment from the validators' relay; the API comes back at 50 %, in time for uploads and receipts.
 */
function scheduleOutage(
  supervisor: ReturnType<typeof createSupervisor>,
  epoch: Epoch,
  roster: Roster,
  dir: string,
  onProgress: (line: string) => void,
): void {
  const at = (ms: number) => Math.max(0, ms - Date.now());
  const length = epoch.end - epoch.start;
  const slow = roster.miners.find((m) => m.label === "honest_slow");
  if (!slow) throw new Error("--api-outage restarts the miner labelled honest_slow; this roster has none");
  setTimeout(async () => {
    await supervisor.stop(`miner-${slow.name}`);
    await Deno.remove(join(dir, "miners", slow.name), { recursive: true }).catch(() => {});
    onProgress(`API outage ahead: ${slow.name} stopped and its state wiped before ${epoch.id}`);
  }, at(epoch.start - 5000));
  setTimeout(async () => {
    await supervisor.stop("api");
    onProgress(`API outage: the API is down during ${epoch.id}`);
    await supervisor.restart(`miner-${slow.name}`);
    onProgress(`API outage: ${slow.name} started with empty state; it can only ask the validators' relay`);
  }, at(epoch.start + length * 0.1));
  setTimeout(async () => {
    await supervisor.restart("api");
    onProgress("API outage over: the API is back");
  }, at(epoch.start + length * 0.5));
}

/** Starts one roster entry; a command that cannot start names the entry. */
async function startProcess(
  supervisor: ReturnType<typeof createSupervisor>,
  spec: ProcessSpec,
): Promise<void> {
  try {
    await supervisor.start(spec.name, spec.args, spec.env, spec.program);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Error(`roster entry ${spec.name}: cannot start "${spec.program}" (${error.message})`);
  }
}

/** Waits (bounded) until every validator published the last epoch, then mirrors both buckets to disk. */
async function leaveRecord(
  dir: string,
  roster: Roster,
  lastId: string,
  store: Parameters<typeof mirrorBuckets>[0],
  onProgress: (line: string) => void,
): Promise<void> {
  const published = roster.validators.map((v) =>
    join(dir, "validators", v.name, "epochs", lastId, "published.json")
  );
  const until = Date.now() + 60_000;
  while (Date.now() < until && (await Promise.all(published.map(readJson))).some((p) => p === null)) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  const count = await mirrorBuckets(store, [MINER_BUCKET, VALIDATOR_BUCKET], recordDir(dir));
  onProgress(`public record: ${count} objects of both buckets mirrored to ${recordDir(dir)}`);
}

/** True when the miner's log shows it mined an epoch from the validators' relay. */
export async function usedRelay(dir: string, minerName: string): Promise<boolean> {
  const log = await Deno.readTextFile(join(dir, "logs", `miner-${minerName}.log`)).catch(() => "");
  return log.includes('"source":"validator-relay"');
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return null;
    throw error;
  }
}

async function progressLine(
  dir: string,
  epochId: string,
  roster: Roster,
  finalised: number,
): Promise<string> {
  let submitted = 0;
  for (const m of roster.miners) {
    if (await readJson(join(dir, "miners", m.name, "epochs", epochId, "completed.json"))) submitted++;
  }
  return `epoch ${epochId}: ${submitted}/${roster.miners.length} miners submitted, ${finalised}/${roster.validators.length} validators finalised`;
}
