/**
 * The miner's command line, parsed without I/O into a typed command. Flags follow btcli's names so a
 * bittensor operator's habits carry over; every flag also has an environment knob (see `.env.example`).
 * @module
 */

/** What `deno task miner` was asked to do. */
export type MinerCommand =
  | { kind: "help" }
  | {
    kind: "run";
    /** Environment overrides from flags (flags win over the environment). */
    env: Record<string, string>;
    /** Mine one epoch to completion, then exit. */
    once: boolean;
  };

/** Raised for a bad command line; the shell prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const FLAGS: Record<string, { env: string; help: string }> = {
  "--wallet.name": { env: "WALLET_NAME", help: "wallet (coldkey) name, as btcli" },
  "--wallet.hotkey": { env: "WALLET_HOTKEY", help: "hotkey name inside the wallet" },
  "--wallet.path": { env: "WALLET_PATH", help: "wallets root (default ~/.bittensor/wallets)" },
  "--api-url": { env: "API_URL", help: "zipmine API base URL" },
  "--proxy-file": { env: "PROXY_FILE", help: "file with one proxy URL per line" },
  "--proxies": { env: "PROXY_URLS", help: "comma-separated proxy URLs" },
  "--state-dir": { env: "MINER_STATE_DIR", help: "where epoch progress is kept (default ~/.zipmine/miner)" },
  "--requests-per-minute": { env: "REQUESTS_PER_MINUTE", help: "requests per minute per exit" },
  "--detail": { env: "DETAIL_ENRICHMENT", help: 'detail pages: "all", "none" or a percentage like "25%"' },
  "--site-url": { env: "LISTING_SITE_URL", help: "listing site base URL" },
};

/** The `--help` text. */
export function usage(): string {
  const rows = Object.entries(FLAGS).map(([flag, f]) =>
    `  ${`${flag} <value>`.padEnd(30)} ${f.help} [${f.env}]`
  );
  return [
    "Usage: deno task miner [flags]",
    "",
    "Scrapes every ZIP code the zipmine API assigns each epoch, writes Parquet with the epoch nonce in",
    "every row, uploads it before the deadline and reports COMPLETED. Resumes after a crash or restart.",
    "",
    "Flags (each also settable by the environment variable in brackets; see .env.example for all knobs):",
    ...rows,
    `  ${"--once".padEnd(30)} mine one epoch to completion, then exit`,
    `  ${"--help".padEnd(30)} this text`,
  ].join("\n");
}

/** Parses argv (`--flag value` or `--flag=value`). */
export function parseMinerArgs(argv: readonly string[]): MinerCommand {
  const env: Record<string, string> = {};
  let once = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--once") {
      once = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS[name];
    if (!flag) throw new UsageError(`Unknown flag "${name}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`Flag "${name}" needs a value`);
    env[flag.env] = value;
  }
  return { kind: "run", env, once };
}
