/**
 * Who takes part in a localnet: the subnet owner, miners and validators, from a roster file
 * (`roster_file.ts`; the default is `rosters/default.jsonc`, `--roster adversarial` the smart cheats of
 * issue 14). Keys derive deterministically from the participant's name, and each gets a bittensor wallet
 * folder, so the components (built-in or external commands) load them exactly as on a real machine.
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { u8aToHex } from "@polkadot/util";
import { createKeyring, type KeyringPair } from "../../shared/signature.ts";
import type { MinerStrategy } from "../../miner/strategies.ts";
import type { ValidatorStrategy } from "../../validator/strategies.ts";
import {
  defaultExpect,
  type MinerExpect,
  parseRosterFile,
  RosterError,
  type RosterFile,
} from "./roster_file.ts";

/** A miner of the localnet. */
export interface LocalMiner {
  name: string;
  /** MINER_STRATEGY of a built-in miner; null for an external command. */
  strategy: MinerStrategy | null;
  /** The external command (program, arguments); null for a built-in miner. */
  command: string[] | null;
  /** Label in reports: honest_fast and honest_slow are the default roster's two honest miners. */
  label: string;
  expect: MinerExpect;
  requestsPerMinute: number;
  env: Record<string, string>;
  pair: KeyringPair;
}

/** A validator of the localnet. */
export interface LocalValidator {
  name: string;
  /** True for a validator whose spot checks go through the market copy that blocks often. */
  unlucky: boolean;
  /** VALIDATOR_STRATEGY of a built-in validator; null for an external command. */
  strategy: ValidatorStrategy | null;
  command: string[] | null;
  /** Whether its weights count in the validators' agreement. */
  agrees: boolean;
  stake: number;
  env: Record<string, string>;
  pair: KeyringPair;
}

/** Everyone in a run. */
export interface Roster {
  owner: KeyringPair;
  miners: LocalMiner[];
  validators: LocalValidator[];
}

const ROSTERS_DIR = new URL("./rosters/", import.meta.url).pathname;
const DEFAULT_RPM = 6000;
const DEFAULT_STAKE = 25_000;

function pairFor(name: string): { pair: KeyringPair; seedHex: string } {
  const seed = createHash("sha256").update(`zipmine-localnet|${name}`).digest();
  return { pair: createKeyring().addFromSeed(new Uint8Array(seed)), seedHex: u8aToHex(new Uint8Array(seed)) };
}

/** The roster of a parsed file. */
export function buildRoster(file: RosterFile): Roster {
  const miners = file.miners.map((m): LocalMiner => {
    const strategy = m.strategy ?? null;
    return {
      name: m.name,
      strategy,
      command: m.command ?? null,
      label: m.label ?? m.name.replaceAll("-", "_"),
      expect: m.expect ?? (strategy ? defaultExpect(strategy) : "any"),
      requestsPerMinute: m.requestsPerMinute ?? DEFAULT_RPM,
      env: m.env ?? {},
      pair: pairFor(`miner/${m.name}`).pair,
    };
  });
  const validators = file.validators.map((v): LocalValidator => {
    const strategy = v.strategy ?? null;
    return {
      name: v.name,
      unlucky: v.unlucky ?? false,
      strategy,
      command: v.command ?? null,
      // A lying validator's own weights are its business; the honest ones must agree.
      agrees: (v.expect ?? (strategy && strategy !== "lying" ? "agree" : "any")) === "agree",
      stake: v.stake ?? DEFAULT_STAKE,
      env: v.env ?? {},
      pair: pairFor(`validator/${v.name}`).pair,
    };
  });
  return { owner: pairFor("owner").pair, miners, validators };
}

/**
 * Loads a roster: `spec` is a file path, or the name of a built-in roster under `rosters/` (`default`,
 * `adversarial`, ...); no spec is the default roster.
 */
export async function loadRoster(spec = "default"): Promise<Roster> {
  const candidates = /^[a-z0-9-]+$/.test(spec)
    ? [join(ROSTERS_DIR, `${spec}.jsonc`), join(ROSTERS_DIR, `${spec}.json`), spec]
    : [spec];
  for (const path of candidates) {
    try {
      return buildRoster(parseRosterFile(await Deno.readTextFile(path), path));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new RosterError(`Roster "${spec}" not found (a file path, or a name under tests/localnet/rosters/)`);
}

/** Writes `<root>/<name>/hotkeys/default` and `coldkeypub.txt` as btcli does. */
export async function writeWallet(root: string, name: string, role: "miner" | "validator"): Promise<void> {
  const { pair, seedHex } = pairFor(`${role}/${name}`);
  const dir = join(root, name, "hotkeys");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "default"),
    JSON.stringify({ secretSeed: seedHex, ss58Address: pair.address }),
  );
  await Deno.writeTextFile(join(root, name, "coldkeypub.txt"), JSON.stringify({ ss58Address: pair.address }));
}
