/**
 * The miner's command line (`deno task miner --help`): btcli's wallet flags plus the miner's own, each
 * setting a knob, and `--once`.
 * @module
 */
import { type FlagSpec, parseFlags, renderUsage, WALLET_FLAGS } from "../shared/cli_args.ts";

export { UsageError } from "../shared/cli_args.ts";

/** What `deno task miner` was asked to do. */
export type MinerCommand = { kind: "help" } | { kind: "run"; env: Record<string, string>; once: boolean };

const FLAGS: Record<string, FlagSpec> = {
  ...WALLET_FLAGS,
  "--api-url": { env: "API_URL", help: "zipmine API base URL" },
  "--proxy-file": { env: "PROXY_FILE", help: "file with one proxy URL per line" },
  "--proxies": { env: "PROXY_URLS", help: "comma-separated proxy URLs" },
  "--state-dir": { env: "MINER_STATE_DIR", help: "where epoch progress is kept (default ~/.zipmine/miner)" },
  "--requests-per-minute": { env: "REQUESTS_PER_MINUTE", help: "requests per minute per exit" },
  "--detail": { env: "DETAIL_ENRICHMENT", help: 'detail pages: "all", "none" or a percentage like "25%"' },
  "--site-url": { env: "LISTING_SITE_URL", help: "listing site base URL" },
  "--serve-axon": { env: "SERVE_AXON", help: "announce <ip>:<port> as this miner's axon on chain" },
  "--strategy": { env: "MINER_STRATEGY", help: "localnet only: honest or a cheating strategy" },
};
const SWITCHES = { "--once": "mine one epoch to completion, then exit" };

/** The `--help` text. */
export function usage(): string {
  return renderUsage(
    [
      "Usage: deno task miner [flags]",
      "",
      "Scrapes every ZIP code the zipmine API assigns each epoch, writes Parquet with the epoch nonce in",
      "every row, uploads it before the deadline and reports COMPLETED. Resumes after a crash or restart.",
    ],
    FLAGS,
    SWITCHES,
  );
}

/** Parses argv (`--flag value` or `--flag=value`). */
export function parseMinerArgs(argv: readonly string[]): MinerCommand {
  const parsed = parseFlags(argv, FLAGS, SWITCHES);
  return parsed.kind === "help"
    ? parsed
    : { kind: "run", env: parsed.env, once: parsed.switches.has("--once") };
}
