/**
 * Canonical JSON for everything zipmine hashes or signs (manifests, reports, evidence): object keys sorted
 * by UTF-16 code units, no whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does.
 * This is the JSON Canonicalization Scheme (RFC 8785) restricted to the values zipmine produces, so
 * Python's `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` agrees for our data.
 *
 * Non-finite numbers, bigints, functions, symbols and `undefined` inside arrays are rejected rather than
 * silently dropped: a hash over a value that lost data would verify something nobody signed.
 * @module
 */
import { createHash } from "node:crypto";

/** Serialises `value` canonically; throws `TypeError` on anything JSON cannot represent exactly. */
export function canonicalJson(value: unknown): string {
  return write(value, "$");
}

/** Hex SHA-256 of the canonical JSON of `value`. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** Hex SHA-256 of a string's UTF-8 bytes or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function write(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot canonicalise ${path}: "${value}" is not finite`);
      }
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`Cannot canonicalise ${path}: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(",")}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`)}`).join(",")}}`;
}
