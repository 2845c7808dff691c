/**
 * Operator tool for CRv4 commits, so the encryption can be checked from outside:
 *
 *   deno task chain:tlock encrypt --round <n> --hex <plaintext> [--pubkey <hex G2>]
 *   deno task chain:tlock decrypt --signature <hex G1> --hex <ciphertext> [--payload]
 *   deno task chain:tlock payload --hotkey <ss58> --uids 1,2 --values 3,4 --version-key <n>
 *
 * encrypt uses the drand quicknet key unless --pubkey is given; decrypt --payload also decodes the plaintext
 * as a WeightsTlockPayload. Output is one line of hex (or JSON) on stdout; errors go to stderr, exit 2.
 * @module
 */
import { parseArgs } from "node:util";
import { decodeAddress, encodeAddress } from "@polkadot/util-crypto";
import {
  bytesToHex,
  decodePayload,
  encodePayload,
  hexToBytes,
  QUICKNET,
  type Rng,
  tlockDecrypt,
  tlockEncrypt,
} from "../../chain/tlock/mod.ts";

export const USAGE = `Usage:
  chain:tlock encrypt --round <n> --hex <plaintext-hex> [--pubkey <g2-hex>]
  chain:tlock decrypt --signature <g1-hex> --hex <ciphertext-hex> [--payload]
  chain:tlock payload --hotkey <ss58> --uids 1,2 --values 3,4 --version-key <n>`;

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new TypeError(`Missing --${name}`);
  return v;
}

function u64(text: string, what: string): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) >= 1n << 64n) throw new TypeError(`${what} "${text}" is not a u64`);
  return BigInt(text);
}

function u16List(text: string, what: string): number[] {
  if (text.trim() === "") return [];
  return text.split(",").map((s) => {
    const n = Number(s.trim());
    if (!/^\d+$/.test(s.trim()) || n > 0xffff) throw new TypeError(`${what}: "${s}" is not a u16`);
    return n;
  });
}

/** Runs one command and returns what it prints; throws TypeError (usage) or the decoder's error. */
export function runTlockCli(args: string[], rng: Rng): string {
  const { values, positionals } = parseArgs({
    args,
    options: {
      round: { type: "string" },
      hex: { type: "string" },
      pubkey: { type: "string" },
      signature: { type: "string" },
      payload: { type: "boolean", default: false },
      hotkey: { type: "string" },
      uids: { type: "string" },
      values: { type: "string" },
      "version-key": { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new TypeError(`Unexpected argument "${extra[0]}"`);
  switch (command) {
    case "encrypt": {
      const pk = values.pubkey ? hexToBytes(values.pubkey) : QUICKNET.publicKey;
      return bytesToHex(
        tlockEncrypt(pk, u64(need(values, "round"), "round"), hexToBytes(need(values, "hex")), rng),
      );
    }
    case "decrypt": {
      const plain = tlockDecrypt(hexToBytes(need(values, "hex")), hexToBytes(need(values, "signature")));
      if (!values.payload) return bytesToHex(plain);
      const p = decodePayload(plain);
      const hotkey = p.hotkey.length === 32 ? encodeAddress(p.hotkey, 42) : `0x${bytesToHex(p.hotkey)}`;
      return JSON.stringify({ hotkey, uids: p.uids, values: p.values, versionKey: p.versionKey.toString() });
    }
    case "payload": {
      const uids = u16List(need(values, "uids"), "uids");
      const weights = u16List(need(values, "values"), "values");
      if (uids.length !== weights.length) throw new TypeError("--uids and --values differ in length");
      let hotkey: Uint8Array;
      try {
        hotkey = decodeAddress(need(values, "hotkey"));
      } catch (e) {
        if (e instanceof TypeError && e.message.startsWith("Missing")) throw e;
        throw new TypeError(`--hotkey is not an SS58 address (${(e as Error).message})`);
      }
      const versionKey = u64(need(values, "version-key"), "version-key");
      return bytesToHex(encodePayload({ hotkey, uids, values: weights, versionKey }));
    }
    default:
      throw new TypeError(command ? `Unknown command "${command}"` : "Missing command");
  }
}

if (import.meta.main) {
  try {
    console.log(runTlockCli(Deno.args, (n) => crypto.getRandomValues(new Uint8Array(n))));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
}
