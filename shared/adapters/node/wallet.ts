/**
 * Loads a bittensor hotkey from its wallet file, where btcli keeps it:
 * `~/.bittensor/wallets/<wallet>/hotkeys/<hotkey>`. The file is JSON with `secretSeed` (0x + 32-byte
 * mini-secret) or `secretPhrase` (mnemonic) and `ss58Address`. Hotkeys are normally stored unencrypted;
 * an encrypted file (btwallet prefixes `$NACL`, older ones `$BT`/ansible vault) is refused with a hint.
 *
 * This is the only file of `shared/` that touches the disk: it reads exactly one file.
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { hexToU8a, isHex } from "@polkadot/util";
import { createKeyring, type KeyringPair } from "../../signature.ts";

/** A wallet file that is missing, encrypted or malformed; the message names the file and the fix. */
export class WalletError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WalletError";
  }
}

/** Where to find the hotkey file; `path` is the wallets root, as btcli's `--wallet.path`. */
export interface WalletLocation {
  /** The wallet (coldkey) name, btcli's `--wallet.name`. */
  wallet: string;
  /** The hotkey name, btcli's `--wallet.hotkey`. */
  hotkey: string;
  /** The wallets root; defaults to `<home>/.bittensor/wallets`. */
  path?: string;
  /** The user's home directory, used only when `path` is absent. */
  home?: string;
}

/** The default wallets root under a home directory, as btcli uses it. */
export function defaultWalletsPath(home: string): string {
  return join(home, ".bittensor", "wallets");
}

/** The hotkey file path for a wallet location. */
export function hotkeyFilePath(location: WalletLocation): string {
  for (const [name, value] of [["wallet", location.wallet], ["hotkey", location.hotkey]]) {
    if (!/^[A-Za-z0-9_.-]+$/.test(value) || value === "." || value === "..") {
      throw new RangeError(`Invalid ${name} name "${value}": use letters, digits, "_", "-" or "."`);
    }
  }
  let root = location.path;
  if (root === undefined) {
    if (!location.home) {
      throw new TypeError("Cannot locate the wallet: give a wallet path or a home directory");
    }
    root = defaultWalletsPath(location.home);
  }
  return join(root, location.wallet, "hotkeys", location.hotkey);
}

/** Reads and decodes the hotkey file for `location`; errors name the file and what is wrong with it. */
export async function loadHotkey(location: WalletLocation): Promise<KeyringPair> {
  const file = hotkeyFilePath(location);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      throw new WalletError(
        `Hotkey file not found: ${file} (create it with "btcli wallet new_hotkey" or pass --wallet.path)`,
        { cause: error },
      );
    }
    throw error;
  }
  return parseHotkeyFile(text, file);
}

/** Decodes the contents of a hotkey file; `file` is only used in error messages. */
export function parseHotkeyFile(text: string, file: string): KeyringPair {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("$NACL") || trimmed.startsWith("$BT") || trimmed.startsWith("$ANSIBLE_VAULT")) {
    throw new WalletError(
      `Hotkey file is encrypted: ${file} (zipmine needs an unencrypted hotkey, as btcli creates)`,
    );
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WalletError(`Hotkey file is not valid JSON: ${file}`, { cause: error });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new WalletError(`Hotkey file is not a JSON object: ${file}`);
  }
  const keyring = createKeyring();
  let pair: KeyringPair;
  const { secretSeed, secretPhrase, ss58Address } = data;
  if (typeof secretSeed === "string" && isHex(secretSeed) && hexToU8a(secretSeed).length === 32) {
    pair = keyring.addFromSeed(hexToU8a(secretSeed));
  } else if (typeof secretPhrase === "string" && secretPhrase.trim().split(/\s+/).length >= 12) {
    pair = keyring.addFromMnemonic(secretPhrase.trim());
  } else {
    throw new WalletError(`Hotkey file has no usable secretSeed (0x + 64 hex) or secretPhrase: ${file}`);
  }
  if (typeof ss58Address !== "string") {
    throw new WalletError(`Hotkey file has no ss58Address: ${file}`);
  }
  if (pair.address !== ss58Address) {
    throw new WalletError(
      `Hotkey file's secret gives ${pair.address}, but its ss58Address is ${ss58Address}: ${file}`,
    );
  }
  return pair;
}

/**
 * The coldkey address of a wallet from its public file `<wallets>/<wallet>/coldkeypub.txt` (JSON with
 * `ss58Address`), or null when the wallet has none (e.g. a hotkey-only machine).
 */
export async function loadColdkeyAddress(location: WalletLocation): Promise<string | null> {
  const hotkeyFile = hotkeyFilePath(location);
  const file = join(hotkeyFile, "..", "..", "coldkeypub.txt");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw error;
  }
  try {
    const address = JSON.parse(text).ss58Address;
    if (typeof address === "string") return address;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  throw new WalletError(`Coldkey file has no ss58Address: ${file}`);
}
