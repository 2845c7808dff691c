/**
 * Command-line parsing shared by the miner and the validator: btcli-style `--flag value` / `--flag=value`
 * options that each set an environment knob (flags win over the environment), plus boolean switches.
 * Pure: argv in, a typed result out.
 * @module
 */

/** A flag that sets a knob. */
export interface FlagSpec {
  env: string;
  help: string;
}

/** Raised for a bad command line; the shell prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The parsed command line. */
export type ParsedArgs = { kind: "help" } | {
  kind: "run";
  env: Record<string, string>;
  switches: Set<string>;
};

/** Parses `argv` against `flags` (value options) and `switches` (names of boolean options). */
export function parseFlags(
  argv: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
  switches: Readonly<Record<string, string>> = {},
): ParsedArgs {
  const env: Record<string, string> = {};
  const on = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg in switches) {
      on.add(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags[name];
    if (!flag) throw new UsageError(`Unknown flag "${name}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`Flag "${name}" needs a value`);
    env[flag.env] = value;
  }
  return { kind: "run", env, switches: on };
}

/** The `--help` text: a summary, then every flag with its knob and every switch. */
export function renderUsage(
  summary: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
  switches: Readonly<Record<string, string>> = {},
): string {
  const rows = Object.entries(flags).map(([flag, f]) =>
    `  ${`${flag} <value>`.padEnd(30)} ${f.help} [${f.env}]`
  );
  const switchRows = Object.entries(switches).map(([name, help]) => `  ${name.padEnd(30)} ${help}`);
  return [
    ...summary,
    "",
    "Flags (each also settable by the environment variable in brackets; see .env.example for all knobs):",
    ...rows,
    ...switchRows,
    `  ${"--help".padEnd(30)} this text`,
  ].join("\n");
}

/** The wallet flags every bittensor program takes, as btcli names them. */
export const WALLET_FLAGS: Readonly<Record<string, FlagSpec>> = {
  "--wallet.name": { env: "WALLET_NAME", help: "wallet (coldkey) name, as btcli" },
  "--wallet.hotkey": { env: "WALLET_HOTKEY", help: "hotkey name inside the wallet" },
  "--wallet.path": { env: "WALLET_PATH", help: "wallets root (default ~/.bittensor/wallets)" },
};
