/**
 * The Bittensor synapse wire protocol (SDK 10.2.0, `bittensor/core/synapse.py`, `dendrite.py`, `axon.py`),
 * so a Python dendrite can call zipmine's TS axon and zipmine's TS dendrite can call a Python axon.
 *
 * A call is `POST http://{axon.ip}:{axon.port}/{SynapseName}` with the synapse's fields as JSON and the
 * SDK's headers (names lowercase with underscores, values Python's `str(v)`):
 * - `name`, `timeout`;
 * - `bt_header_axon_ip`, `bt_header_axon_port`, `bt_header_axon_hotkey` (the target);
 * - `bt_header_dendrite_ip`, `_version` (10.2.0 as `10002000`), `_nonce` (`time.time_ns()`), `_uuid`,
 *   `_hotkey`, `_signature` (`0x` + 128 hex);
 * - `bt_header_input_obj_<field>` for each required field: base64 of the JSON of an empty value of its type;
 * - `header_size`, `total_size` (informational) and `computed_body_hash`.
 *
 * The body hash is SHA3-256 (not Keccak) in lowercase hex: each of the synapse's `required_hash_fields` is
 * hashed as Python's `str(value)`, and the concatenation of those hex digests is hashed again; with no hash
 * field it is SHA3-256 of "". The dendrite signs `{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}`
 * (sr25519 over the raw UTF-8 bytes). The axon checks, in order: blacklist, signature and nonce, priority,
 * then the body against `computed_body_hash`.
 *
 * Hash fields must be strings, integers, booleans or null (Python's `str` of those is exact here); lists
 * and dicts would need Python's `repr` and are refused.
 *
 * Vectors: tests/vectors/synapse.json.
 *
 * Over 400 lines: the whole synapse wire format (headers, body hash, signing messages, terminal info, nonce
 * window) has one owner, checked against the SDK's vectors as one unit.
 * @module
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  AxonResponseHeadersSchema,
  type AxonResponseMeta,
  SynapseHeadersSchema,
  SynapseNameSchema,
  type SynapseRequestMeta,
} from "./schemas/synapse.ts";
import {
  ZipcodeAssignmentRequestSchema,
  ZipcodeAssignmentResponseSchema,
} from "./schemas/signed_assignment.ts";
import { SealedPlansRequestSchema, SealedPlansSynapseResponseSchema } from "./schemas/sealed_plan.ts";
import { type KeyringPair, signMessage } from "./signature.ts";

/** The SDK release whose wire format this module follows. */
export const BITTENSOR_VERSION = "10.2.0";
/** `version_as_int` of that release: major * 1000^2 + minor * 1000 + patch. */
export const BITTENSOR_VERSION_AS_INT = 10_002_000;
/** The SDK's default synapse timeout in seconds (`Synapse.timeout`). */
export const DEFAULT_SYNAPSE_TIMEOUT_SECONDS = 12;
/** `axon_utils.ALLOWED_DELTA`: how far behind the axon's clock a fresh nonce may be, besides the timeout. */
export const ALLOWED_NONCE_DELTA_NS = 4_000_000_000n;
/** zipmine caps the caller's `timeout` when widening the nonce window (the SDK does not; see checkNonce). */
export const MAX_NONCE_TIMEOUT_SECONDS = 60;
/** zipmine refuses nonces this far ahead of its clock, so stored nonces always expire (the SDK does not). */
export const MAX_NONCE_FUTURE_NS = 300_000_000_000n;

/** Header names, exactly as `Synapse.to_headers` writes them. */
export const SYNAPSE_HEADER = {
  name: "name",
  timeout: "timeout",
  axonStatusCode: "bt_header_axon_status_code",
  axonStatusMessage: "bt_header_axon_status_message",
  axonProcessTime: "bt_header_axon_process_time",
  axonIp: "bt_header_axon_ip",
  axonPort: "bt_header_axon_port",
  axonVersion: "bt_header_axon_version",
  axonNonce: "bt_header_axon_nonce",
  axonUuid: "bt_header_axon_uuid",
  axonHotkey: "bt_header_axon_hotkey",
  axonSignature: "bt_header_axon_signature",
  dendriteIp: "bt_header_dendrite_ip",
  dendritePort: "bt_header_dendrite_port",
  dendriteVersion: "bt_header_dendrite_version",
  dendriteNonce: "bt_header_dendrite_nonce",
  dendriteUuid: "bt_header_dendrite_uuid",
  dendriteHotkey: "bt_header_dendrite_hotkey",
  dendriteSignature: "bt_header_dendrite_signature",
  headerSize: "header_size",
  totalSize: "total_size",
  computedBodyHash: "computed_body_hash",
} as const;
/** Prefix of the per-required-field dummy headers. */
export const INPUT_OBJ_HEADER_PREFIX = "bt_header_input_obj_";

/**
 * One synapse type: its route name (the Python class name), the zod schemas of the fields the caller
 * fills (`request`) and of those the axon fills (`response`), the SDK's `required_hash_fields` and the
 * pydantic fields without a default (`requiredFields`, which get `bt_header_input_obj_*` headers).
 */
export interface SynapseDefinition<
  Req extends z.ZodObject = z.ZodObject,
  Res extends z.ZodObject = z.ZodObject,
> {
  readonly name: string;
  readonly request: Req;
  readonly response: Res;
  readonly requiredHashFields: readonly string[];
  readonly requiredFields: readonly string[];
}

/** Checks and freezes a synapse definition: a valid class name, hash fields that are request fields. */
export function defineSynapse<Req extends z.ZodObject, Res extends z.ZodObject>(definition: {
  name: string;
  request: Req;
  response: Res;
  requiredHashFields?: readonly (keyof z.output<Req> & string)[];
  requiredFields?: readonly string[];
}): SynapseDefinition<Req, Res> {
  SynapseNameSchema.parse(definition.name);
  const requestKeys = Object.keys(definition.request.shape);
  const hashFields = definition.requiredHashFields ?? [];
  for (const field of hashFields) {
    if (!requestKeys.includes(field)) {
      throw new RangeError(`Hash field "${field}" of ${definition.name} is not a request field`);
    }
  }
  return Object.freeze({
    name: definition.name,
    request: definition.request,
    response: definition.response,
    requiredHashFields: Object.freeze([...hashFields]),
    requiredFields: Object.freeze([...(definition.requiredFields ?? [])]),
  });
}

/** Lowercase hex SHA3-256 (FIPS 202; Keccak-256 differs) of a string's UTF-8 bytes. */
export function sha3Hex(text: string): string {
  return createHash("sha3-256").update(text).digest("hex");
}

/** Python's `repr(float)` / `str(float)`: shortest round-trip digits, `1e-05`, `12.0`, `1e+16`. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits.padEnd(exponent + 1, "0")}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/**
 * Python's `str(value)` for the values a hash field may hold: strings as they are, integers in decimal,
 * `True`/`False`, `None` (also for `undefined`, a pydantic default), other numbers as Python floats.
 * Lists and objects throw `TypeError`: their Python form (`repr`) is not reproduced.
 */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return value.toString();
    case "number":
      return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
    default:
      throw new TypeError(`A ${Array.isArray(value) ? "list" : typeof value} cannot be a synapse hash field`);
  }
}

/** The SDK's `Synapse.body_hash` over `body`'s `requiredHashFields` (SHA3-256 of "" when there are none). */
export function synapseBodyHash(
  body: Record<string, unknown>,
  requiredHashFields: readonly string[],
): string {
  return sha3Hex(requiredHashFields.map((field) => sha3Hex(pythonStr(body[field]))).join(""));
}

/** What the dendrite signs and the axon verifies (`default_verify`). */
export interface SynapseSigningFields {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  uuid: string;
  bodyHash: string;
}

/** `{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}`. */
export function synapseSigningMessage(f: SynapseSigningFields): string {
  return `${f.nonce}.${f.dendriteHotkey}.${f.axonHotkey}.${f.uuid}.${f.bodyHash}`;
}

/** The axon's own (unchecked by any dendrite) signature message: `{axon_nonce}.{dendrite}.{axon}.{axon_uuid}`. */
export function axonSigningMessage(f: Omit<SynapseSigningFields, "bodyHash">): string {
  return `${f.nonce}.${f.dendriteHotkey}.${f.axonHotkey}.${f.uuid}`;
}

/** The value of `bt_header_input_obj_<field>`: base64 of `json.dumps(type(value)())`; null means no header. */
export function inputObjHeaderValue(value: unknown): string | null {
  let dummy: string;
  if (value === null || value === undefined) return null;
  if (typeof value === "string") dummy = '""';
  else if (typeof value === "boolean") dummy = "false";
  else if (typeof value === "bigint") dummy = "0";
  else if (typeof value === "number") dummy = Number.isInteger(value) ? "0" : "0.0";
  else if (Array.isArray(value)) dummy = "[]";
  else if (typeof value === "object") dummy = "{}";
  else throw new TypeError(`A ${typeof value} has no JSON dummy`);
  return btoa(dummy);
}

/** Everything a request's headers state, before signing. */
export interface SynapseRequestFields {
  synapse: SynapseDefinition;
  /** The request fields (the body's synapse-specific part). */
  fields: Record<string, unknown>;
  axon: { ip: string; port: number; hotkey: string };
  dendrite: { hotkey: string; nonce: bigint; uuid: string; ip?: string; version?: number };
  timeoutSeconds: number;
}

/** The dendrite's request, signed: its headers, its JSON body and what was signed. */
export interface SignedSynapseRequest {
  headers: Record<string, string>;
  body: string;
  bodyHash: string;
  message: string;
  signature: string;
}

/**
 * The SDK dendrite's headers for a request whose body hash and signature are known, in `to_headers`
 * order. `header_size` and `total_size` are Python memory sizes in the SDK, never checked; zipmine sends 0.
 */
export function buildSynapseRequestHeaders(
  request: SynapseRequestFields,
  bodyHash: string,
  signature: string,
): Record<string, string> {
  const { synapse, axon, dendrite } = request;
  const headers: Record<string, string> = {
    [SYNAPSE_HEADER.name]: synapse.name,
    [SYNAPSE_HEADER.timeout]: pythonFloatRepr(request.timeoutSeconds),
    [SYNAPSE_HEADER.axonIp]: axon.ip,
    [SYNAPSE_HEADER.axonPort]: String(axon.port),
    [SYNAPSE_HEADER.axonHotkey]: axon.hotkey,
  };
  if (dendrite.ip !== undefined) headers[SYNAPSE_HEADER.dendriteIp] = dendrite.ip;
  headers[SYNAPSE_HEADER.dendriteVersion] = String(dendrite.version ?? BITTENSOR_VERSION_AS_INT);
  headers[SYNAPSE_HEADER.dendriteNonce] = dendrite.nonce.toString();
  headers[SYNAPSE_HEADER.dendriteUuid] = dendrite.uuid;
  headers[SYNAPSE_HEADER.dendriteHotkey] = dendrite.hotkey;
  headers[SYNAPSE_HEADER.dendriteSignature] = signature;
  for (const field of synapse.requiredFields) {
    const value = inputObjHeaderValue(request.fields[field]);
    if (value !== null) headers[`${INPUT_OBJ_HEADER_PREFIX}${field}`] = value;
  }
  headers[SYNAPSE_HEADER.headerSize] = "0";
  headers[SYNAPSE_HEADER.totalSize] = "0";
  headers[SYNAPSE_HEADER.computedBodyHash] = bodyHash;
  return headers;
}

/** A `TerminalInfo` with every field present (null when unset), as pydantic's `model_dump` writes it. */
export function terminalInfo(fields: Partial<Record<TerminalKey, unknown>>): Record<TerminalKey, unknown> {
  return Object.fromEntries(TERMINAL_KEYS.map((k) => [k, fields[k] ?? null])) as Record<TerminalKey, unknown>;
}
const TERMINAL_KEYS = [
  "status_code",
  "status_message",
  "process_time",
  "ip",
  "port",
  "version",
  "nonce",
  "uuid",
  "hotkey",
  "signature",
] as const;
type TerminalKey = (typeof TERMINAL_KEYS)[number];

/**
 * Hashes, signs and serialises a request as the SDK's dendrite does (`preprocess_synapse_for_request`,
 * `to_headers`, `json=synapse.model_dump()`). Every request and response field appears in the body,
 * `null` when unset; the body's `computed_body_hash` is "" (the SDK's frozen default) and the real one
 * travels in the header.
 */
export function signSynapseRequest(pair: KeyringPair, request: SynapseRequestFields): SignedSynapseRequest {
  if (pair.address !== request.dendrite.hotkey) {
    throw new RangeError(`Cannot sign for ${request.dendrite.hotkey} with ${pair.address}`);
  }
  const fields = withNulls(request.synapse, request.fields);
  const bodyHash = synapseBodyHash(fields, request.synapse.requiredHashFields);
  const message = synapseSigningMessage({
    nonce: request.dendrite.nonce,
    dendriteHotkey: request.dendrite.hotkey,
    axonHotkey: request.axon.hotkey,
    uuid: request.dendrite.uuid,
    bodyHash,
  });
  const signature = signMessage(pair, message);
  const { axon, dendrite } = request;
  const body = synapseJson({
    name: request.synapse.name,
    timeout: request.timeoutSeconds,
    total_size: 0,
    header_size: 0,
    dendrite: terminalInfo({
      ip: dendrite.ip,
      version: dendrite.version ?? BITTENSOR_VERSION_AS_INT,
      nonce: dendrite.nonce,
      uuid: dendrite.uuid,
      hotkey: dendrite.hotkey,
      signature,
    }),
    axon: terminalInfo({ ip: axon.ip, port: axon.port, hotkey: axon.hotkey }),
    computed_body_hash: "",
    ...fields,
  });
  return {
    headers: buildSynapseRequestHeaders(request, bodyHash, signature),
    body,
    bodyHash,
    message,
    signature,
  };
}

/** The synapse's request and response keys with `null` for every unset one, then the given fields. */
function withNulls(synapse: SynapseDefinition, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...Object.keys(synapse.request.shape), ...Object.keys(synapse.response.shape)]) {
    out[key] = null;
  }
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/** Lowercase-keyed plain record of a `Headers` or a record. */
export function headerRecord(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [key, value] of entries) out[key.toLowerCase()] = value;
  return out;
}

/** A parse result with the zod issues flattened into one line. */
export type HeaderParse<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates and types a request's synapse headers. */
export function parseSynapseHeaders(
  headers: Headers | Record<string, string>,
): HeaderParse<SynapseRequestMeta> {
  const parsed = SynapseHeadersSchema.safeParse(headerRecord(headers));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: issuesLine(parsed.error) };
}

/** Validates and types the `bt_header_axon_*` headers of an axon's answer. */
export function parseAxonResponseHeaders(
  headers: Headers | Record<string, string>,
): HeaderParse<AxonResponseMeta> {
  const parsed = AxonResponseHeadersSchema.safeParse(headerRecord(headers));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: issuesLine(parsed.error) };
}

function issuesLine(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(headers)"}: ${i.message}`).join("; ");
}

/** What the axon states about itself in an answer. */
export interface AxonAnswerFields {
  name: string;
  timeoutSeconds: number;
  statusCode: number;
  statusMessage: string;
  processTimeSeconds: number;
  axon: {
    ip?: string;
    port?: number;
    version: number;
    nonce: bigint;
    uuid: string;
    hotkey: string;
    signature?: string;
  };
  /** The caller, echoed (the SDK fills ip/port from the TCP peer). */
  dendrite?: Partial<
    {
      ip: string;
      port: number;
      version: number;
      nonce: bigint;
      uuid: string;
      hotkey: string;
      signature: string;
    }
  >;
  computedBodyHash?: string;
}

/**
 * The headers of an axon's answer, as the SDK's axon sets them (`synapse.to_headers()` on success and
 * error). The SDK's dendrite counts a call a success only when `bt_header_axon_status_code` is 200.
 * Free text is reduced to printable ASCII so it is always a valid header value.
 */
export function buildAxonResponseHeaders(f: AxonAnswerFields): Record<string, string> {
  const headers: Record<string, string> = {
    [SYNAPSE_HEADER.name]: f.name,
    [SYNAPSE_HEADER.timeout]: pythonFloatRepr(f.timeoutSeconds),
    [SYNAPSE_HEADER.axonStatusCode]: String(f.statusCode),
    [SYNAPSE_HEADER.axonStatusMessage]: headerText(f.statusMessage),
    [SYNAPSE_HEADER.axonProcessTime]: pythonFloatRepr(f.processTimeSeconds),
  };
  const put = (name: string, value: string | number | bigint | undefined) => {
    if (value !== undefined) headers[name] = headerText(String(value));
  };
  put(SYNAPSE_HEADER.axonIp, f.axon.ip);
  put(SYNAPSE_HEADER.axonPort, f.axon.port);
  put(SYNAPSE_HEADER.axonVersion, f.axon.version);
  put(SYNAPSE_HEADER.axonNonce, f.axon.nonce);
  put(SYNAPSE_HEADER.axonUuid, f.axon.uuid);
  put(SYNAPSE_HEADER.axonHotkey, f.axon.hotkey);
  put(SYNAPSE_HEADER.axonSignature, f.axon.signature);
  const d = f.dendrite ?? {};
  put(SYNAPSE_HEADER.dendriteIp, d.ip);
  put(SYNAPSE_HEADER.dendritePort, d.port);
  put(SYNAPSE_HEADER.dendriteVersion, d.version);
  put(SYNAPSE_HEADER.dendriteNonce, d.nonce);
  put(SYNAPSE_HEADER.dendriteUuid, d.uuid);
  put(SYNAPSE_HEADER.dendriteHotkey, d.hotkey);
  put(SYNAPSE_HEADER.dendriteSignature, d.signature);
  headers[SYNAPSE_HEADER.headerSize] = "0";
  headers[SYNAPSE_HEADER.totalSize] = "0";
  if (f.computedBodyHash !== undefined) headers[SYNAPSE_HEADER.computedBodyHash] = f.computedBodyHash;
  return headers;
}

/** Printable ASCII only, at most 512 characters: always a legal header value. */
export function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 512);
}

/** The verdict on a nonce. */
export type NonceVerdict = { ok: true } | { ok: false; reason: string };

/** The inputs of the nonce rule. */
export interface NonceCheck {
  nonce: bigint;
  /** The last nonce accepted for this caller (the SDK keys it by `{hotkey}:{uuid}`); undefined if none. */
  lastNonce: bigint | undefined;
  /** The axon's clock in nanoseconds. */
  nowNs: bigint;
  /** The request's `timeout` header in seconds. */
  timeoutSeconds: number;
}

/**
 * The nonce rule of the SDK's `default_verify`, hardened:
 * - the nonce must be newer than `now - 4 s - timeout` (the SDK checks this only on a caller's first
 *   request, and only for versions >= 7.2.0: the version header is unsigned, so zipmine always checks);
 * - the timeout that widens the window is capped at `MAX_NONCE_TIMEOUT_SECONDS` (it is unsigned too);
 * - it must be strictly greater than the last accepted nonce of the same caller (as the SDK);
 * - it may not lead the clock by more than `MAX_NONCE_FUTURE_NS` (zipmine only), so a stored nonce
 *   always ages out and the axon can forget it without reopening a replay.
 */
export function checkNonce(check: NonceCheck): NonceVerdict {
  const timeout = Math.min(Math.max(check.timeoutSeconds, 0), MAX_NONCE_TIMEOUT_SECONDS);
  const windowNs = ALLOWED_NONCE_DELTA_NS + BigInt(Math.round(timeout * 1e9));
  if (check.nonce <= check.nowNs - windowNs) {
    const ageSeconds = Number(check.nowNs - check.nonce) / 1e9;
    return {
      ok: false,
      reason: `Nonce is too old: acceptable delta is ${(Number(windowNs) / 1e9).toFixed(2)} seconds but ` +
        `request was ${ageSeconds.toFixed(2)} seconds old`,
    };
  }
  if (check.lastNonce !== undefined && check.nonce <= check.lastNonce) {
    return { ok: false, reason: "Nonce is too old, a newer one was last processed" };
  }
  if (check.nonce > check.nowNs + MAX_NONCE_FUTURE_NS) {
    return { ok: false, reason: "Nonce is too far in the future: check the caller's clock" };
  }
  return { ok: true };
}

/**
 * The oldest nonce that can still pass `checkNonce`'s freshness window at `nowNs`: a remembered nonce
 * older than this can be forgotten, since any replay of it is refused as too old anyway.
 */
export function nonceExpiryNs(nowNs: bigint): bigint {
  return nowNs - ALLOWED_NONCE_DELTA_NS - BigInt(MAX_NONCE_TIMEOUT_SECONDS) * 1_000_000_000n;
}

/** The SDK axon's nonce key: one sequence per dendrite instance (`{hotkey}:{uuid}`). */
export function nonceKey(hotkey: string, uuid: string): string {
  return `${hotkey}:${uuid}`;
}

/** Milliseconds since the Unix epoch as a nanosecond nonce (`time.time_ns()` resolution is not needed). */
export function msToNs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * 1_000_000n;
}

/**
 * JSON for synapse bodies: like `JSON.stringify` (key order kept) but bigints are written as exact
 * integers, because nonces exceed 2^53 and pydantic reads them as Python ints.
 */
export function synapseJson(value: unknown): string {
  const out = write(value);
  if (out === undefined) throw new TypeError("Cannot serialise a top-level undefined");
  return out;
}

function write(value: unknown): string | undefined {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("Non-finite number");
    return JSON.stringify(value);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v) ?? "null").join(",")}]`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const text = write(v);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** zipmine's synapses. `ZipcodeAssignment`: a miner asks a validator for the API-signed assignment. */
export const ZipcodeAssignmentSynapse = defineSynapse({
  name: "ZipcodeAssignment",
  request: ZipcodeAssignmentRequestSchema,
  response: ZipcodeAssignmentResponseSchema,
  requiredHashFields: ["epochId"],
});

/**
 * `SealedPlans` (issue 18): a miner asks a validator for its copies of the API's sealed plans, to hold
 * them before an outage or to open the running epoch's during one. Every copy carries the API's signature.
 */
export const SealedPlansSynapse = defineSynapse({
  name: "SealedPlans",
  request: SealedPlansRequestSchema,
  response: SealedPlansSynapseResponseSchema,
  requiredHashFields: ["fromEpochId"],
});
