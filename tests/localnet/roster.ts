/**
 * Who takes part in a localnet: the subnet owner, miners with their strategies and settings, and
 * validators with their network luck. Keys derive deterministically from the participant's name, and each
 * gets a bittensor wallet folder, so the components load them exactly as on a real machine.
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { u8aToHex } from "@polkadot/util";
import { createKeyring, type KeyringPair } from "../../shared/signature.ts";
import type { MinerStrategy } from "../../miner/strategies.ts";
import type { ValidatorStrategy } from "../../validator/strategies.ts";

/** A miner of the localnet. */
export interface LocalMiner {
  name: string;
  strategy: MinerStrategy;
  /** Label in reports: honest_fast and honest_slow are the two honest miners. */
  label: string;
  requestsPerMinute: number;
  pair: KeyringPair;
}

/** A validator of the localnet. */
export interface LocalValidator {
  name: string;
  /** True for the validator whose spot checks are often blocked. */
  unlucky: boolean;
  /** VALIDATOR_STRATEGY: the hostile validator publishes malformed evidence. */
  strategy: ValidatorStrategy;
  pair: KeyringPair;
}

/** Every cheat; all must score exactly 0. */
export const CHEATS: readonly MinerStrategy[] = [
  "fabricator",
  "wrong_zip",
  "nonceless",
  "stale",
  "duplicator",
  "late",
];

/** Hostile uploads; all must score exactly 0 without holding up anyone's judging. */
export const HOSTILE: readonly MinerStrategy[] = [
  "null_manifest",
  "dup_key_manifest",
  "missing_files",
  "huge_manifest",
  "nan_values",
];

function pairFor(name: string): { pair: KeyringPair; seedHex: string } {
  const seed = createHash("sha256").update(`zipmine-localnet|${name}`).digest();
  return { pair: createKeyring().addFromSeed(new Uint8Array(seed)), seedHex: u8aToHex(new Uint8Array(seed)) };
}

/** The roster: owner, two honest miners, one miner per cheat and hostile upload, three validators (one hostile). */
export function buildRoster() {
  const plans: Omit<LocalMiner, "pair">[] = [
    { name: "honest-fast", strategy: "honest", label: "honest_fast", requestsPerMinute: 6000 },
    { name: "honest-slow", strategy: "honest", label: "honest_slow", requestsPerMinute: 300 },
    ...[...CHEATS, ...HOSTILE].map((strategy) => ({
      name: strategy.replaceAll("_", "-"),
      strategy,
      label: strategy,
      requestsPerMinute: 6000,
    })),
  ];
  const miners: LocalMiner[] = plans.map((m) => ({ ...m, pair: pairFor(`miner/${m.name}`).pair }));
  const validators: LocalValidator[] = ([
    { name: "validator-a", unlucky: false, strategy: "honest" },
    { name: "validator-b", unlucky: true, strategy: "honest" },
    { name: "validator-hostile", unlucky: false, strategy: "malformed_evidence" },
  ] as const).map((v) => ({ ...v, pair: pairFor(`validator/${v.name}`).pair }));
  return { owner: pairFor("owner").pair, miners, validators };
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
