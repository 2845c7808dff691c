/**
 * What the miner and validator programs share around their `main`: the start-up (knobs, logger, hotkey)
 * and the mapping of errors to exit codes: a bad command line prints the usage and exits 2, a bad
 * configuration or wallet prints its message and exits 1, anything else is a bug and crashes with its stack.
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { UsageError } from "../../cli_args.ts";
import {
  ConfigError,
  type CORE_KNOBS,
  type KnobTable,
  parseKnobs,
  type ProgramKnobs,
  type Resolved,
  secretValues,
} from "../../config.ts";
import { createLogger, type Logger } from "../../log.ts";
import { cryptoReady } from "../../signature.ts";
import { loadHotkey, WalletError, type WalletLocation } from "./wallet.ts";
import type { WALLET_KNOBS } from "./wallet_config.ts";
import type { Clock } from "../../ports.ts";

/** A started node: its knobs, clock, logger and hotkey. */
export interface NodeStart<C> {
  config: C;
  home: string;
  clock: Clock;
  log: Logger;
  wallet: WalletLocation;
  pair: KeyringPair;
}

/**
 * Merges the command line's knobs over the environment, parses them, builds the structured logger (which
 * redacts every secret knob) and loads the hotkey from the bittensor wallet.
 */
/** What a node program's table holds at least: the core and the wallet knobs. */
type NodeTable = KnobTable & typeof CORE_KNOBS & typeof WALLET_KNOBS;

export async function startNode<T extends NodeTable>(
  program: ProgramKnobs<T> & { component: "miner" | "validator" },
  commandEnv: Record<string, string>,
): Promise<NodeStart<Resolved<T>>> {
  const env = { ...Deno.env.toObject(), ...commandEnv };
  const config = parseKnobs(program, env);
  const component = program.component;
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  const clock: Clock = { now: () => new Date() };
  const log = createLogger({
    sink: (line) => console.log(line),
    level: config.LOG_LEVEL,
    clock,
    secrets: secretValues(program.table, config),
    fields: { component },
  });
  await cryptoReady();
  const wallet = {
    wallet: config.WALLET_NAME,
    hotkey: config.WALLET_HOTKEY,
    path: config.WALLET_PATH || undefined,
    home,
  };
  return { config, home, clock, log, wallet, pair: await loadHotkey(wallet) };
}

/** Runs `main(Deno.args)` and exits with its code. */
export async function runCli(main: (argv: string[]) => Promise<number>, usage: () => string): Promise<never> {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage()}`);
      Deno.exit(2);
    }
    if (error instanceof ConfigError || error instanceof WalletError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}
