/**
 * The miner's knobs. Its table is the core (shared/config.ts), the wallet, fetch, chain and sealed-plan
 * knobs it shares with the validator, and these.
 * @module
 */
import { z } from "zod";
import { MINER_STRATEGIES } from "./strategies.ts";
import {
  boolean,
  CORE_KNOBS,
  coreChecks,
  integer,
  knob,
  parseKnobs,
  type Resolved,
} from "../shared/config.ts";
import { CHAIN_KNOBS } from "../shared/adapters/chain/config.ts";
import { FETCH_KNOBS } from "../shared/adapters/fetch/config.ts";
import { WALLET_KNOBS } from "../shared/adapters/node/wallet_config.ts";
import { SEALED_PLAN_KNOBS } from "../shared/adapters/sealed_plans/config.ts";

/** The knobs only the miner reads. */
export const MINER_KNOBS = {
  MINER_METRICS_PORT: knob(integer(0, 65_535), "0", "Port of the miner's /metrics on 127.0.0.1 (0: off)", [
    "miner",
  ]),
  MINER_STATE_DIR: knob(z.string().trim(), "", "Miner state folder (empty: ~/.zipmine/miner)", ["miner"]),
  DETAIL_ENRICHMENT: knob(
    z.string().trim().regex(/^(all|none|\d{1,3}%)$/, {
      error: 'expected "all", "none" or a percentage like "25%"',
    }),
    "all",
    "Which listings also get their detail page fetched: all, none or a percentage",
    ["miner"],
  ),
  UPLOAD_EARLY: knob(
    boolean,
    "false",
    "Upload each ZIP's file as soon as it is scraped, not all at the end",
    [
      "miner",
    ],
  ),
  POLL_INTERVAL_SECONDS: knob(integer(1, 3600), "60", "How often the miner polls the API for a new epoch", [
    "miner",
  ]),
  MINER_STRATEGY: knob(
    z.enum(MINER_STRATEGIES),
    "honest",
    "Localnet only: how the miner behaves (honest, or one of the cheats the validators must catch)",
    ["miner", "localnet"],
  ),

  // Relay of assignments over the axon protocol (validators serve, miners fall back to it).
  SERVE_AXON: knob(
    z.string().trim().regex(/^(.+:\d{1,5})?$/, { error: "expected <ip>:<port>" }),
    "",
    "Announce this miner's axon <ip>:<port> on chain at start (serve_axon), as bittensor miners do",
    ["miner"],
  ),
  DENDRITE_TIMEOUT_MS: knob(
    integer(100, 120_000),
    "12000",
    "Timeout of one relay request to a validator's axon",
    [
      "miner",
    ],
  ),
} as const;

/** Everything the miner reads. */
export const MINER_TABLE = {
  ...CORE_KNOBS,
  ...WALLET_KNOBS,
  ...FETCH_KNOBS,
  ...CHAIN_KNOBS,
  ...SEALED_PLAN_KNOBS,
  ...MINER_KNOBS,
} as const;

/** The miner's resolved configuration. */
export type MinerConfig = Resolved<typeof MINER_TABLE>;

/** The miner program's knobs. */
export const MINER_PROGRAM = { component: "miner", table: MINER_TABLE, checks: coreChecks } as const;

/** Parses the miner's knobs; throws a `ConfigError` naming each bad one. */
export function parseMinerConfig(env: Record<string, string | undefined>): MinerConfig {
  return parseKnobs(MINER_PROGRAM, env);
}
