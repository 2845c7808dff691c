/**
 * The plaintext of a CRv4 commit: subtensor's `WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>,
 * values: Vec<u16>, version_key: u64 }` in SCALE. The chain decodes `hotkey` as the committer's AccountId
 * (32-byte public key) and drops the commit when it is another account.
 */
import { ByteReader, concat, TlockFormatError } from "./arkworks.ts";

export interface WeightsTlockPayload {
  hotkey: Uint8Array;
  uids: number[];
  values: number[];
  versionKey: bigint;
}

/** SCALE compact integer (lengths here stay far below 2^30). */
function compact(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n >= 1 << 30) throw new RangeError(`compact ${n} out of range`);
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, ((n << 2) | 2) >>> 0, true);
  return out;
}

function readCompact(r: ByteReader, what: string): number {
  const first = r.take(1, what)[0];
  switch (first & 3) {
    case 0:
      return first >> 2;
    case 1:
      return (first | (r.take(1, what)[0] << 8)) >> 2;
    case 2: {
      const rest = r.take(3, what);
      return ((first | (rest[0] << 8) | (rest[1] << 16) | (rest[2] << 24)) >>> 0) >>> 2;
    }
    default:
      throw new TlockFormatError(`${what}: compact over 2^30 is not a plausible length`);
  }
}

function u16s(xs: number[], what: string): Uint8Array {
  const out = new Uint8Array(xs.length * 2);
  const view = new DataView(out.buffer);
  xs.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0 || x > 0xffff) {
      throw new RangeError(`${what}[${i}] = ${x} is not a u16`);
    }
    view.setUint16(i * 2, x, true);
  });
  return concat(compact(xs.length), out);
}

export function encodePayload(p: WeightsTlockPayload): Uint8Array {
  if (p.uids.length !== p.values.length) throw new RangeError("uids and values differ in length");
  if (p.versionKey < 0n || p.versionKey >= 1n << 64n) throw new RangeError("version_key is not a u64");
  const version = new Uint8Array(8);
  new DataView(version.buffer).setBigUint64(0, p.versionKey, true);
  return concat(compact(p.hotkey.length), p.hotkey, u16s(p.uids, "uids"), u16s(p.values, "values"), version);
}

export function decodePayload(bytes: Uint8Array): WeightsTlockPayload {
  const r = new ByteReader(bytes);
  const hotkey = r.take(readCompact(r, "hotkey length"), "hotkey").slice();
  const list = (what: string) => {
    const n = readCompact(r, `${what} length`);
    const raw = r.take(n * 2, what);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: n }, (_, i) => view.getUint16(i * 2, true));
  };
  const uids = list("uids");
  const values = list("values");
  const v = r.take(8, "version_key");
  const versionKey = new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true);
  r.end("payload");
  return { hotkey, uids, values, versionKey };
}
