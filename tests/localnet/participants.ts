/**
 * How each roster entry runs: its process name, program, arguments and environment. A built-in entry runs
 * `miner/main.ts` or `validator/main.ts` with its strategy; an external command gets the same environment
 * (wallet path, name and hotkey, API URL, market URL as LISTING_SITE_URL and MARKET_URL, chain and epoch
 * timings, state folder) plus the object store's S3_ENDPOINT, S3_REGION and bucket names, so an operator's own miner or validator
 * plays the network exactly as the built-in ones do. Pure.
 * @module
 */
import { join } from "node:path";
import type { LocalMiner, LocalValidator } from "./roster.ts";

/** What every participant's environment is built from. */
export interface NetworkEnv {
  /** NETUID, epoch timings, chain endpoint, drand relay: what every component reads. */
  common: Record<string, string>;
  apiUrl: string;
  market: string;
  /** The market copy that blocks often (for unlucky validators). */
  hostileMarket: string;
  /** S3_ENDPOINT, S3_REGION, S3_BUCKET, ... for external commands (no credentials: uploads go through the API's grants). */
  s3: Record<string, string>;
  apiHotkey: string;
  wallets: string;
  dir: string;
  freePort: () => number;
}

/** A process to start. */
export interface ProcessSpec {
  name: string;
  /** The program; null runs this Deno with `args`. */
  program: string | null;
  args: string[];
  env: Record<string, string>;
}

function run(command: string[] | null, builtin: string): Pick<ProcessSpec, "program" | "args"> {
  return command
    ? { program: command[0], args: command.slice(1) }
    : { program: null, args: ["run", "-A", builtin] };
}

/** The process of a miner. */
export function minerProcess(m: LocalMiner, net: NetworkEnv): ProcessSpec {
  return {
    name: `miner-${m.name}`,
    ...run(m.command, "miner/main.ts"),
    env: {
      ...net.common,
      ...(m.command ? net.s3 : {}),
      API_URL: net.apiUrl,
      LISTING_SITE_URL: net.market,
      MARKET_URL: net.market,
      WALLET_PATH: net.wallets,
      WALLET_NAME: m.name,
      WALLET_HOTKEY: "default",
      MINER_STATE_DIR: join(net.dir, "miners", m.name),
      ...(m.strategy ? { MINER_STRATEGY: m.strategy } : {}),
      REQUESTS_PER_MINUTE: String(m.requestsPerMinute),
      FETCH_CONCURRENCY: "4",
      FETCH_JITTER_MS: "0",
      BLOCK_COOLDOWN_SECONDS: "0",
      DETAIL_ENRICHMENT: "10%",
      POLL_INTERVAL_SECONDS: "2",
      API_ASSIGNMENT_HOTKEYS: net.apiHotkey,
      DENDRITE_TIMEOUT_MS: "5000",
      ...m.env,
    },
  };
}

/** The process of a validator (it runs under its own name, as the logs and state folders show it). */
export function validatorProcess(v: LocalValidator, net: NetworkEnv): ProcessSpec {
  const market = v.unlucky ? net.hostileMarket : net.market;
  return {
    name: v.name,
    ...run(v.command, "validator/main.ts"),
    env: {
      ...net.common,
      ...(v.command ? net.s3 : {}),
      API_URL: net.apiUrl,
      LISTING_SITE_URL: market,
      MARKET_URL: market,
      WALLET_PATH: net.wallets,
      WALLET_NAME: v.name,
      WALLET_HOTKEY: "default",
      VALIDATOR_STATE_DIR: join(net.dir, "validators", v.name),
      ...(v.strategy ? { VALIDATOR_STRATEGY: v.strategy } : {}),
      VALIDATOR_METRICS_PORT: String(net.freePort()),
      SPOT_CHECK_COUNT: "4",
      REQUESTS_PER_MINUTE: "6000",
      FETCH_CONCURRENCY: "4",
      FETCH_JITTER_MS: "0",
      FETCH_RETRIES: v.unlucky ? "0" : "3",
      BLOCK_COOLDOWN_SECONDS: "0",
      MAX_CONSECUTIVE_BLOCKS: "10000",
      AXON_PORT: String(net.freePort()),
      AXON_HOSTNAME: "127.0.0.1",
      ...v.env,
    },
  };
}
