/**
 * The knob mechanism and the knobs the whole network shares. A knob is an environment variable with a zod
 * schema (parsing the string the environment holds), a default, a one-line meaning and the components that
 * read it. This file holds the mechanism (`knob`, `parseKnobs`, `secretValues`, `renderEnvExample`) and the
 * core table: network-wide knobs and the incentive mechanism's knobs, which every program reads. Each
 * program owns its knob table and resolved type (`api/config.ts`, `miner/config.ts`, `validator/config.ts`,
 * `tests/sim/market_config.ts`), built from this core and the tables of the shared adapters it uses
 * (`shared/adapters/{s3,fetch,chain,node,sealed_plans}/config.ts`). `.env.example` lists every table's
 * knobs (`deno task gen:env`; tests/env_example_test.ts fails when one is missing). The shells pass
 * `Deno.env.toObject()`; nothing here reads the environment.
 * @module
 */
import { z } from "zod";
import { parseBeacon } from "./drand_schedule.ts";

/** The programs that read knobs. */
export type Component = "api" | "admin" | "miner" | "validator" | "localnet" | "query" | "market";

/** One knob: its schema, default and meaning. */
export interface Knob<T extends z.ZodType = z.ZodType> {
  schema: T;
  /** The default as the environment would spell it; undefined means "no default". */
  default: string | undefined;
  doc: string;
  /** Components that read the knob; a knob without a default is required by these. */
  components: readonly Component[];
  /** Never logged, echoed or printed; `.env.example` leaves it empty. */
  secret?: boolean;
  /** May be left unset even without a default. */
  optional?: boolean;
}

/** A knob table: knob name to knob. */
export type KnobTable = Record<string, Knob>;

/** A table's resolved values: every knob parsed to its typed value. */
export type Resolved<T extends KnobTable> = { [K in keyof T]: z.output<T[K]["schema"]> };

/** What one program parses: its component name, its table and the rules that tie its knobs together. */
export interface ProgramKnobs<T extends KnobTable> {
  component: Component;
  table: T;
  checks?: (config: Resolved<T>) => string[];
}

export const ALL: readonly Component[] = ["api", "miner", "validator", "localnet", "query"];

/** An integer in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.string().trim().regex(/^-?\d+$/, "expected an integer").transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** Comma-separated integers, each in [min, max]. */
export function integerList(min: number, max: number) {
  return z.string().trim().regex(/^\d+(,\d+)*$/, "expected comma-separated integers")
    .transform((s) => s.split(",").map(Number)).pipe(z.array(z.number().int().min(min).max(max)));
}

/** A decimal number in [min, max]. */
export function decimal(min: number, max: number) {
  return z.string().trim().regex(/^-?\d+(\.\d+)?$/, "expected a number").transform(Number)
    .pipe(z.number().min(min).max(max));
}

export const boolean = z.string().trim().toLowerCase().pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((s) => s === "true" || s === "1" || s === "yes");
export const text = z.string().trim().min(1, "expected a non-empty value");
export const url = z.string().trim().pipe(z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }));

/** Declares a knob. */
export function knob<T extends z.ZodType>(
  schema: T,
  defaultValue: string | undefined,
  doc: string,
  components: readonly Component[],
  flags: { secret?: boolean; optional?: boolean } = {},
): Knob<T> {
  return { schema, default: defaultValue, doc, components, ...flags };
}

/** Network and timing knobs every program reads; they must agree across the whole network. */
export const NETWORK_KNOBS = {
  NETUID: knob(integer(0, 65_535), "46", "Subnet id on the chain (46 on finney, 428 on testnet)", ALL),
  EPOCH_SECONDS: knob(integer(60, 86_400), "14400", "Epoch length in seconds; must divide 86400", ALL),
  UPLOAD_LEAD_SECONDS: knob(
    integer(0),
    "900",
    "Uploads must be finished this long before the epoch ends (900 = by 3:45 of a 4 h epoch)",
    ALL,
  ),
  API_URL: knob(url, "http://127.0.0.1:8000", "Base URL of the zipmine API", [
    "miner",
    "validator",
    "localnet",
  ]),
  LOG_LEVEL: knob(z.enum(["debug", "info", "warn", "error"]), "info", "Lowest log level printed", ALL),
  EVIDENCE_LEAD_SECONDS: knob(
    integer(0),
    "1800",
    "Spot-check evidence is published this long before the validation window ends (the API refuses later evidence)",
    ["api", "validator"],
  ),
  DRAND_BEACON: knob(
    z.string().trim().regex(/^(quicknet|[0-9a-f]{192}@\d+\/\d+)$/, {
      error: "expected quicknet or <G2 public key hex>@<genesis unix seconds>/<period seconds>",
    }).transform(parseBeacon),
    "quicknet",
    "drand beacon sealed plans are encrypted to (quicknet, or a local beacon as key@genesis/period)",
    ["api", "miner", "validator"],
  ),
} as const;

/** The incentive mechanism's knobs (spot checks, scores, shares, calibration): tests/mechanism models them. */
export const MECHANISM_KNOBS = {
  SPOT_CHECK_COUNT: knob(integer(0, 1000), "10", "Listings per miner re-scraped from the source each epoch", [
    "validator",
  ]),
  SPOT_CHECK_EXTRA: knob(
    integer(0, 1000),
    "10",
    "Further listings, along the same sample stream, checked for a miner with too few conclusive checks",
    ["validator"],
  ),
  COPY_MIN_SHARED_PERCENT: knob(
    integer(1, 100),
    "50",
    "Hotkeys sharing this percent of rows (zpid and scraped_at) are copies; only the earliest receipt ranks",
    ["validator"],
  ),
  MIN_CONCLUSIVE_CHECKS: knob(
    integer(0, 1000),
    "5",
    "Conclusive spot checks (valid or invalid) a miner needs before it can take a top share",
    ["validator"],
  ),
  TOP_SHARES: knob(integerList(0, 100), "50,30,15", "Percent of the weight for ranks 1, 2, 3, ...", [
    "validator",
  ]),
  PARTICIPATION_POOL_PERCENT: knob(integer(0, 5), "5", "Percent (<= 5) split among the other honest miners", [
    "validator",
  ]),
  BURN_PERCENT: knob(integer(0, 100), "0", "Percent of the weight given to the subnet owner's uid", [
    "validator",
  ]),
  SCORE_SPEED_PERCENT: knob(
    integer(0, 100),
    "40",
    "Share of the composite score earned by submission speed",
    [
      "validator",
    ],
  ),
  SCORE_QUALITY_PERCENT: knob(integer(0, 100), "40", "Share of the composite score earned by data quality", [
    "validator",
  ]),
  SCORE_VOLUME_PERCENT: knob(integer(0, 100), "20", "Share of the composite score earned by valid volume", [
    "validator",
  ]),
  CALIBRATION_MAX_STEP_PERCENT: knob(
    integer(0, 100),
    "25",
    "Largest per-epoch change of a ZIP's expected count",
    [
      "api",
    ],
  ),
} as const;

/** The core table: every program's table starts with it. */
export const CORE_KNOBS = { ...NETWORK_KNOBS, ...MECHANISM_KNOBS } as const;

/** The core knobs, resolved. */
export type CoreConfig = Resolved<typeof CORE_KNOBS>;

/** Raised when the environment holds invalid knobs; the message names every one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses `env` with `program`'s table: applies defaults, checks each knob's schema and then the program's
 * rules that tie knobs together, and throws one `ConfigError` listing every problem by knob name. Knobs
 * without a default that the component reads are required; others come back `undefined` when unset.
 */
export function parseKnobs<T extends KnobTable>(
  program: ProgramKnobs<T>,
  env: Record<string, string | undefined>,
): Resolved<T> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, k] of Object.entries(program.table)) {
    const raw = env[name] === undefined || env[name] === "" ? k.default : env[name];
    if (raw === undefined) {
      if (k.components.includes(program.component) && !k.optional) {
        problems.push(`${name} is required: ${k.doc}`);
      }
      continue;
    }
    const result = k.schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else {
      const shown = k.secret ? "(hidden)" : JSON.stringify(raw);
      problems.push(`${name}=${shown} is invalid: ${result.error.issues.map((i) => i.message).join("; ")}`);
    }
  }
  if (problems.length === 0 && program.checks) problems.push(...program.checks(out as Resolved<T>));
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Resolved<T>;
}

/** The rules that tie core knobs together; every program's checks include them. */
export function coreChecks(c: CoreConfig): string[] {
  const problems: string[] = [];
  if (86_400 % c.EPOCH_SECONDS !== 0) problems.push(`EPOCH_SECONDS=${c.EPOCH_SECONDS} must divide 86400`);
  if (c.UPLOAD_LEAD_SECONDS >= c.EPOCH_SECONDS) {
    problems.push(
      `UPLOAD_LEAD_SECONDS=${c.UPLOAD_LEAD_SECONDS} must be below EPOCH_SECONDS=${c.EPOCH_SECONDS}`,
    );
  }
  const scoreSum = c.SCORE_SPEED_PERCENT + c.SCORE_QUALITY_PERCENT + c.SCORE_VOLUME_PERCENT;
  if (scoreSum !== 100) problems.push(`SCORE_SPEED/QUALITY/VOLUME_PERCENT must sum to 100, not ${scoreSum}`);
  const shareSum = c.TOP_SHARES.reduce((a, b) => a + b, 0) + c.PARTICIPATION_POOL_PERCENT;
  if (shareSum > 100) problems.push(`TOP_SHARES plus PARTICIPATION_POOL_PERCENT exceed 100 (${shareSum})`);
  return problems;
}

/** Values of every secret knob of `table` present in `config`, for the logger's scrubber. */
export function secretValues(table: KnobTable, config: Record<string, unknown>): string[] {
  return Object.keys(table)
    .filter((name) => table[name].secret && typeof config[name] === "string" && config[name] !== "")
    .map((name) => config[name] as string);
}

/**
 * Renders `.env.example` from `tables`: every knob once (in the order of first appearance), with its default
 * (secrets empty) and its meaning.
 */
export function renderEnvExample(tables: readonly KnobTable[]): string {
  const lines = ["# zipmine configuration. Every knob, its default and its meaning; see README.md.", ""];
  const seen = new Set<string>();
  for (const table of tables) {
    for (const [name, k] of Object.entries(table)) {
      if (seen.has(name)) continue;
      seen.add(name);
      lines.push(`# ${k.doc} [${k.components.join(", ")}]${k.secret ? " (secret)" : ""}`);
      lines.push(`${name}=${k.secret ? "" : k.default ?? ""}`);
    }
  }
  return lines.join("\n") + "\n";
}
