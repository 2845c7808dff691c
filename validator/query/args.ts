/**
 * The command line of `deno task query` (`--help`): the SQL (an argument or `--file`), the output format,
 * where the archive comes from, and the flags that set the S3 and cache knobs.
 * @module
 */
import { type FlagSpec, renderUsage, UsageError } from "../../shared/cli_args.ts";
import { validatorPrefix } from "../../shared/s3_keys.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./format.ts";

export { UsageError } from "../../shared/cli_args.ts";

/** Where the archive comes from: the validator bucket (through the cache) or a local folder. */
export type QuerySource = { kind: "s3" } | { kind: "dir"; dir: string };

/** What `deno task query` was asked to do. */
export type QueryCommand = { kind: "help" } | {
  kind: "run";
  /** The SQL text, or the file to read it from. */
  sql: { text: string } | { file: string };
  format: OutputFormat;
  source: QuerySource;
  validator?: string;
  /** Knobs set by flags; they win over the environment. */
  env: Record<string, string>;
};

const KNOB_FLAGS: Record<string, FlagSpec> = {
  "--bucket": { env: "S3_VALIDATOR_BUCKET", help: "validator bucket to sync" },
  "--endpoint": { env: "S3_ENDPOINT", help: "S3 endpoint URL (unset: AWS)" },
  "--cache-dir": { env: "QUERY_CACHE_DIR", help: "where synced outputs are kept (default ~/.zipmine/query)" },
};

const OPTIONS: Record<string, string> = {
  "--file <path>": "read the SQL from a file instead of the argument",
  "--format <table|csv|json>": "output format (default table)",
  "--source <s3>": "sync the validator bucket into the cache, then query the cache (default)",
  "--dir <folder>": "query a local folder with the bucket's layout instead (no sync)",
  "--validator <hotkey>": "only this validator's outputs",
};

/** The `--help` text. */
export function usage(): string {
  return renderUsage(
    [
      'Usage: deno task query [flags] "SELECT ..."',
      "       deno task query [flags] --file query.sql",
      "",
      "Runs DuckDB SQL over the validators' published outputs. Views: listings (every published winners",
      "row), winners (rank, weight, score per epoch, validator and winning miner), epochs (ZIPs, expected and",
      "validated listings, publication time), miner_scores (every miner verdict of every report). Several",
      "statements may be given; the last one's rows are printed. Exit status: 0 on success (also over an",
      "empty archive), 1 when the query or the source fails, 2 for a bad command line.",
      "",
      "The bucket is read with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY when both are set, unsigned",
      "otherwise; S3_REGION and S3_FORCE_PATH_STYLE apply. Only new or changed objects are downloaded, into",
      "one cache folder per bucket.",
    ],
    KNOB_FLAGS,
    OPTIONS,
  );
}

/** Parses argv (`--flag value` or `--flag=value`, the SQL as the one argument that is not a flag). */
export function parseQueryArgs(argv: readonly string[]): QueryCommand {
  const env: Record<string, string> = {};
  const options = new Map<string, string>();
  const positional: string[] = [];
  const optionNames = new Set(Object.keys(OPTIONS).map((o) => o.split(" ")[0]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(name in KNOB_FLAGS) && !optionNames.has(name)) throw new UsageError(`Unknown flag "${name}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`Flag "${name}" needs a value`);
    if (name in KNOB_FLAGS) env[KNOB_FLAGS[name].env] = value;
    else options.set(name, value);
  }
  const file = options.get("--file");
  if (positional.length > 1) throw new UsageError("Expected one SQL argument; quote the query");
  if (positional.length === (file === undefined ? 0 : 1)) {
    throw new UsageError("Expected the SQL as an argument or --file, not both or neither");
  }
  const format = options.get("--format") ?? OUTPUT_FORMATS[0];
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Invalid --format "${format}": expected ${OUTPUT_FORMATS.join(", ")}`);
  }
  const validator = options.get("--validator");
  if (validator !== undefined) {
    try {
      validatorPrefix(validator);
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`Invalid --validator: ${error.message}`);
      throw error;
    }
  }
  return {
    kind: "run",
    sql: file === undefined ? { text: positional[0] } : { file },
    format: format as OutputFormat,
    source: parseSource(options.get("--source"), options.get("--dir")),
    ...(validator === undefined ? {} : { validator }),
    env,
  };
}

function parseSource(source: string | undefined, dir: string | undefined): QuerySource {
  if (dir !== undefined) {
    if (source !== undefined) throw new UsageError("Use --dir or --source, not both");
    return { kind: "dir", dir };
  }
  if (source !== undefined && source !== "s3") {
    throw new UsageError(`Invalid --source "${source}": expected s3 (or --dir <folder> for a local copy)`);
  }
  return { kind: "s3" };
}
