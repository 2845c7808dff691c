/**
 * The validator's command line (`deno task validator --help`): btcli's wallet flags plus the validator's
 * own, each setting a knob.
 * @module
 */
import { type FlagSpec, parseFlags, renderUsage, WALLET_FLAGS } from "../shared/cli_args.ts";

/** What `deno task validator` was asked to do. */
export type ValidatorCommand = { kind: "help" } | { kind: "run"; env: Record<string, string> };

const FLAGS: Record<string, FlagSpec> = {
  ...WALLET_FLAGS,
  "--api-url": { env: "API_URL", help: "zipmine API base URL" },
  "--chain-endpoint": { env: "CHAIN_ENDPOINT", help: "local:<path>, finney, test or a ws(s) URL" },
  "--state-dir": {
    env: "VALIDATOR_STATE_DIR",
    help: "where judging progress is kept (default ~/.zipmine/validator)",
  },
  "--proxy-file": { env: "PROXY_FILE", help: "file with one proxy URL per line, for spot checks" },
  "--site-url": { env: "LISTING_SITE_URL", help: "listing site base URL" },
  "--metrics-port": { env: "VALIDATOR_METRICS_PORT", help: "port of /metrics (0: off)" },
};

/** The `--help` text. */
export function usage(): string {
  return renderUsage([
    "Usage: deno task validator [flags]",
    "",
    "Judges each epoch during the next one: integrity and DuckDB checks of every miner's upload, the",
    "deterministic spot checks, agreement with the other validators, scores; publishes the report and the",
    "winners' data and sets weights on the chain every tempo.",
  ], FLAGS);
}

/** Parses argv. */
export function parseValidatorArgs(argv: readonly string[]): ValidatorCommand {
  const parsed = parseFlags(argv, FLAGS);
  return parsed.kind === "help" ? parsed : { kind: "run", env: parsed.env };
}
