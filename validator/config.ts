/**
 * The validator's knobs (and those of `deno task query`, the analysts' reader of validator outputs). Its table
 * is the core (shared/config.ts), the wallet, fetch, chain, sealed-plan and object-storage knobs, and these.
 * @module
 */
import { z } from "zod";
import { VALIDATOR_STRATEGIES } from "./strategies.ts";
import {
  CORE_KNOBS,
  coreChecks,
  decimal,
  integer,
  knob,
  parseKnobs,
  type Resolved,
  text,
} from "../shared/config.ts";
import { CHAIN_KNOBS } from "../shared/adapters/chain/config.ts";
import { FETCH_KNOBS } from "../shared/adapters/fetch/config.ts";
import { WALLET_KNOBS } from "../shared/adapters/node/wallet_config.ts";
import { S3_KNOBS } from "../shared/adapters/s3/config.ts";
import { SEALED_PLAN_KNOBS } from "../shared/adapters/sealed_plans/config.ts";

/** The knobs only the validator reads. */
export const VALIDATOR_KNOBS = {
  VALIDATOR_STATE_DIR: knob(z.string().trim(), "", "Validator state folder (empty: ~/.zipmine/validator)", [
    "validator",
  ]),
  VALIDATOR_METRICS_PORT: knob(integer(0, 65_535), "9100", "Port of the validator's /metrics (0: off)", [
    "validator",
  ]),
  TEMPO_SECONDS: knob(
    integer(1, 86_400),
    "4320",
    "How often weights are set (one tempo: 360 blocks = 72 min)",
    [
      "validator",
    ],
  ),
  FINALIZE_LEAD_SECONDS: knob(
    integer(0),
    "900",
    "Scores are finalised this long before the validation window ends (after reading others' evidence)",
    ["validator"],
  ),
  MAX_MINER_FILE_BYTES: knob(
    integer(1024),
    "268435456",
    "A miner file larger than this scores 0 without download",
    [
      "validator",
    ],
  ),
  MAX_MINER_FILES: knob(integer(1, 10_000), "2000", "Most data files one miner's manifest may name", [
    "validator",
  ]),
  UPLOAD_ROWS_FACTOR: knob(
    integer(1, 1000),
    "10",
    "A miner's upload may claim at most this many times the epoch's expected listings in rows",
    ["validator"],
  ),
  MAX_ROW_BYTES: knob(
    integer(64, 1_048_576),
    "4096",
    "Stored bytes per row an upload may average (its byte budget: row budget x this)",
    ["validator"],
  ),
  JUDGE_CONCURRENCY: knob(integer(1, 64), "4", "Miners gathered and checked at the same time", [
    "validator",
  ]),
  GATHER_TIMEOUT_SECONDS: knob(
    integer(1, 14_400),
    "600",
    "Time limit of gathering one miner's upload; over it the attempt failed on the validator's side",
    ["validator"],
  ),
  JUDGE_ATTEMPTS: knob(
    integer(1, 100),
    "3",
    "Attempts at judging a miner (S3 5xx, own disk, a fault) before it is reported not judged",
    ["validator"],
  ),
  JUDGE_DEADLINE_LEAD_SECONDS: knob(
    integer(0),
    "2700",
    "Miners not judged this long before the validation window ends are reported not judged",
    ["validator"],
  ),
  VALIDATOR_STRATEGY: knob(
    z.enum(VALIDATOR_STRATEGIES),
    "honest",
    "Localnet only: honest, malformed_evidence (junk spot-check entries before its real ones) or lying (publishes every conclusive outcome flipped)",
    ["validator", "localnet"],
  ),

  // The axon that relays assignments to miners.
  AXON_PORT: knob(integer(0, 65_535), "8091", "Port of the validator's axon (0: no axon)", ["validator"]),
  AXON_HOSTNAME: knob(text, "0.0.0.0", "Interface the validator's axon listens on", ["validator"]),
  AXON_EXTERNAL_IP: knob(
    z.string().trim(),
    "",
    "Address announced on chain for the axon (empty: AXON_HOSTNAME)",
    [
      "validator",
    ],
  ),
  AXON_RATE_LIMIT_PER_MINUTE: knob(integer(1), "60", "Axon requests per minute per verified hotkey", [
    "validator",
  ]),

  // Setting weights.
  WEIGHTS_COMMIT_REVEAL: knob(
    z.string().trim().pipe(z.enum(["crv4", "crv2"])),
    "crv4",
    "With commit-reveal on: crv4 timelocked commits as the SDK sends (default), or crv2 hash commit + reveal",
    ["validator"],
  ),
  CHAIN_BLOCK_SECONDS: knob(
    decimal(0.1, 60),
    "12",
    "Expected seconds per subtensor block, for the CRv4 reveal round (0.25 on a fast-block chain)",
    ["validator"],
  ),
  WEIGHTS_MECHANISMS: knob(
    z.string().trim().regex(/^(\d+(,\d+)*)?$/, "expected comma-separated mechanism ids")
      .transform((s) => (s === "" ? [] : s.split(",").map(Number))).pipe(
        z.array(z.number().int().min(0).max(15)),
      ),
    "",
    "Subnet mechanisms the validator sets (the same weights on each); empty means all the subnet has",
    ["validator"],
  ),
} as const;

/** Everything the validator reads. */
export const VALIDATOR_TABLE = {
  ...CORE_KNOBS,
  ...WALLET_KNOBS,
  ...FETCH_KNOBS,
  ...CHAIN_KNOBS,
  ...SEALED_PLAN_KNOBS,
  ...S3_KNOBS,
  ...VALIDATOR_KNOBS,
} as const;

/** The validator's resolved configuration. */
export type ValidatorConfig = Resolved<typeof VALIDATOR_TABLE>;

function validatorChecks(c: ValidatorConfig): string[] {
  const problems = coreChecks(c);
  if (!(c.FINALIZE_LEAD_SECONDS < c.EVIDENCE_LEAD_SECONDS && c.EVIDENCE_LEAD_SECONDS < c.EPOCH_SECONDS)) {
    problems.push(
      `FINALIZE_LEAD_SECONDS (${c.FINALIZE_LEAD_SECONDS}) < EVIDENCE_LEAD_SECONDS (${c.EVIDENCE_LEAD_SECONDS}) < EPOCH_SECONDS (${c.EPOCH_SECONDS}) must hold`,
    );
  }
  if (c.JUDGE_DEADLINE_LEAD_SECONDS <= c.EVIDENCE_LEAD_SECONDS) {
    problems.push(
      `JUDGE_DEADLINE_LEAD_SECONDS (${c.JUDGE_DEADLINE_LEAD_SECONDS}) must exceed EVIDENCE_LEAD_SECONDS (${c.EVIDENCE_LEAD_SECONDS}): spot checks follow judging`,
    );
  }
  return problems;
}

/** The validator program's knobs. */
export const VALIDATOR_PROGRAM = {
  component: "validator",
  table: VALIDATOR_TABLE,
  checks: validatorChecks,
} as const;

/** Parses the validator's knobs; throws a `ConfigError` naming each bad one. */
export function parseValidatorConfig(env: Record<string, string | undefined>): ValidatorConfig {
  return parseKnobs(VALIDATOR_PROGRAM, env);
}

/** The knobs only `deno task query` reads. */
export const QUERY_KNOBS = {
  QUERY_CACHE_DIR: knob(
    z.string().trim(),
    "",
    "Where deno task query keeps synced validator outputs, one folder per bucket (empty: ~/.zipmine/query)",
    ["query"],
  ),
} as const;

/** Everything `deno task query` reads. */
export const QUERY_TABLE = { ...CORE_KNOBS, ...S3_KNOBS, ...QUERY_KNOBS } as const;

/** Parses the query tool's knobs; throws a `ConfigError` naming each bad one. */
export function parseQueryConfig(env: Record<string, string | undefined>): Resolved<typeof QUERY_TABLE> {
  return parseKnobs({ component: "query", table: QUERY_TABLE, checks: coreChecks }, env);
}
