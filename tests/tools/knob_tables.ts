/**
 * Every knob table, each knob in the one table that owns it, in `.env.example` order: the core, the shared
 * adapters', then each program's own. Used by the generator (gen_env_example.ts) and tests/env_example_test.ts.
 * @module
 */
import { MECHANISM_KNOBS, NETWORK_KNOBS } from "../../shared/config.ts";
import { CHAIN_KNOBS } from "../../shared/adapters/chain/config.ts";
import { FETCH_KNOBS } from "../../shared/adapters/fetch/config.ts";
import { WALLET_KNOBS } from "../../shared/adapters/node/wallet_config.ts";
import { S3_KNOBS } from "../../shared/adapters/s3/config.ts";
import { SEALED_PLAN_KNOBS } from "../../shared/adapters/sealed_plans/config.ts";
import { API_KNOBS, API_TABLE } from "../../api/config.ts";
import { MINER_KNOBS, MINER_TABLE } from "../../miner/config.ts";
import { QUERY_KNOBS, QUERY_TABLE, VALIDATOR_KNOBS, VALIDATOR_TABLE } from "../../validator/config.ts";
import { MARKET_KNOBS } from "../sim/market_config.ts";

/** The owner tables by name. */
export const OWNER_TABLES = {
  "shared/config.ts network": NETWORK_KNOBS,
  "shared/config.ts mechanism": MECHANISM_KNOBS,
  "shared/adapters/s3/config.ts": S3_KNOBS,
  "shared/adapters/node/wallet_config.ts": WALLET_KNOBS,
  "shared/adapters/fetch/config.ts": FETCH_KNOBS,
  "shared/adapters/chain/config.ts": CHAIN_KNOBS,
  "shared/adapters/sealed_plans/config.ts": SEALED_PLAN_KNOBS,
  "api/config.ts": API_KNOBS,
  "miner/config.ts": MINER_KNOBS,
  "validator/config.ts validator": VALIDATOR_KNOBS,
  "validator/config.ts query": QUERY_KNOBS,
  "tests/sim/market_config.ts": MARKET_KNOBS,
} as const;

/** What each program parses. */
export const PROGRAM_TABLES = {
  api: API_TABLE,
  miner: MINER_TABLE,
  validator: VALIDATOR_TABLE,
  query: QUERY_TABLE,
  market: MARKET_KNOBS,
} as const;
