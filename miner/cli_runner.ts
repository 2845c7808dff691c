/**
 * Runs a command-line program's `main` and maps its errors to exit codes in one place: a bad command line
 * prints the usage and exits 2, a bad configuration or wallet prints its message and exits 1, anything
 * else is a bug and crashes with its stack.
 * @module
 */
import { UsageError } from "../shared/cli_args.ts";
import { ConfigError } from "../shared/config.ts";
import { WalletError } from "../shared/wallet.ts";

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
