/**
 * The validator's axon: a fetch-style handler (serve it with `Deno.serve`) that answers Bittensor synapse
 * calls exactly as the Python SDK's axon (10.2.0, `AxonMiddleware.dispatch`) does, so a Python dendrite
 * and zipmine's TS dendrite (`shared/adapters/axon/dendrite.ts`) both accept its answers.
 *
 * Order of checks and the status of each refusal (bittensor-protocol.md section 2.2; 429 is zipmine's):
 * 1. route: `POST /{SynapseName}`; an unknown name is 404, another method 405;
 * 2. headers (`SynapseHeadersSchema`): malformed or missing is 400 (the SDK's SynapseParsingError);
 * 3. blacklist: an unregistered hotkey, or one `blacklist` names, is 403 "Forbidden. Key is
 *    blacklisted: ...". It runs on the claimed hotkey before any signature check, as in the SDK;
 * 4. rate limit per caller (the claimed, registered hotkey): 429, before any sr25519 work, so a flood
 *    costs at most `rateLimitPerMinute` verifications per registered hotkey. The price: a forger can spend
 *    another hotkey's quota on this axon (never anything else), which an IP key would not bound at all;
 * 5. verify: nonce (fresh, strictly increasing per `{hotkey}:{uuid}`) and the sr25519 signature over
 *    `{nonce}.{dendrite}.{axon}.{uuid}.{computed_body_hash}`, always required (the SDK skips it when the
 *    header is absent): 401 "Not Verified with error: ...". A verified nonce is remembered, at most
 *    `MAX_NONCES_PER_HOTKEY` uuids per hotkey (a new uuid beyond that is 429 until old ones expire);
 * 6. priority: at most `maxConcurrent` handlers, the queue ordered by `priority(hotkey)`; full is 503,
 *    waiting past the request's timeout is 408;
 * 7. body: larger than `maxBodyBytes` is 413; not JSON or not the synapse's request shape is 400; a body
 *    hash other than `computed_body_hash` is 400 (the SDK answers 500 there, from a generic exception);
 * 8. handler: an `AxonHandlerError` gives its own status, anything else 500 "Internal Server Error #id".
 *
 * Every answer is JSON with the SDK's headers (`bt_header_axon_status_code`, `_status_message`,
 * `_process_time`, ...); errors carry `{"message": ...}`, success the whole synapse with `axon.status_code`
 * 200, as `process_server_response` expects.
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../../shared/log.ts";
import { type KeyringPair, signMessage, verifyHotkeySignature } from "../../shared/signature.ts";
import type { SynapseRequestMeta } from "../../shared/schemas/synapse.ts";
import {
  axonSigningMessage,
  BITTENSOR_VERSION_AS_INT,
  buildAxonResponseHeaders,
  checkNonce,
  DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
  MAX_NONCE_TIMEOUT_SECONDS,
  msToNs,
  nonceExpiryNs,
  nonceKey,
  parseSynapseHeaders,
  SYNAPSE_HEADER,
  synapseBodyHash,
  type SynapseDefinition,
  synapseJson,
  synapseSigningMessage,
  terminalInfo,
} from "../../shared/synapse.ts";
import { GateFullError, GateTimeoutError, PriorityGate } from "./priority_gate.ts";
import type { Clock } from "../../shared/ports.ts";

/** What a handler learns about the call besides its request fields. */
export interface AxonCallContext {
  /** The verified caller. */
  hotkey: string;
  synapse: string;
  /** Aborted when the caller disconnects. */
  signal: AbortSignal;
}

/** One served synapse: its definition, the handler that fills the response fields, its priority. */
export interface AxonSynapse<Req extends z.ZodObject = z.ZodObject, Res extends z.ZodObject = z.ZodObject> {
  schema: SynapseDefinition<Req, Res>;
  handler(request: z.output<Req>, ctx: AxonCallContext): Promise<z.input<Res>> | z.input<Res>;
  /** Higher runs first when the axon is saturated (the SDK's pattern: the caller's stake). */
  priority?(hotkey: string): number | Promise<number>;
}

/** Keeps a synapse entry's request and response types tied to its definition. */
export function axonSynapse<Req extends z.ZodObject, Res extends z.ZodObject>(
  entry: AxonSynapse<Req, Res>,
): AxonSynapse<Req, Res> {
  return entry;
}

/** A handler's deliberate refusal, answered with `status` (400-599) and `message`. */
export class AxonHandlerError extends Error {
  constructor(readonly status: number, message: string) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`An axon refusal needs a 4xx or 5xx status, not ${status}`);
    }
    super(message);
    this.name = "AxonHandlerError";
  }
}

/** The connection info `Deno.serve` passes as the handler's second argument. */
export interface AxonPeerInfo {
  remoteAddr?: { transport?: string; hostname?: string; port?: number };
}

/** A fetch-style handler. */
export type AxonHandler = (request: Request, info?: AxonPeerInfo) => Promise<Response>;

/** How to build the axon. */
export interface AxonOptions {
  /** The axon's hotkey: callers sign for it, and it signs the answers' `bt_header_axon_signature`. */
  pair: KeyringPair;
  /** Served synapses by name; each key must equal its definition's name. */
  synapses: Record<string, AxonSynapse>;
  /** True for hotkeys in the metagraph; everyone else gets 403. */
  isRegistered(hotkey: string): boolean | Promise<boolean>;
  /** A reason to refuse a registered hotkey (e.g. "no validator permit"), or null. */
  blacklist?(hotkey: string, synapse: string): string | null | Promise<string | null>;
  /** Calls per verified hotkey per minute (a token bucket); `Infinity` turns the limit off. */
  rateLimitPerMinute: number;
  /** The shell's clock. */
  clock: Clock;
  /** The axon's uuid in its answers (the SDK's `axon.uuid`); a random one by default. */
  uuid?: string;
  /** The external address announced on chain, echoed in `bt_header_axon_ip`/`_port`. */
  external?: { ip: string; port: number };
  maxConcurrent?: number;
  maxQueued?: number;
  maxBodyBytes?: number;
  log?: Logger;
}

const DEFAULT_MAX_CONCURRENT = 16;
const DEFAULT_MAX_QUEUED = 256;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const PRUNE_FLOOR = 1024;
/** Live dendrite sessions (uuids) remembered per hotkey; the SDK uses one uuid per dendrite. */
export const MAX_NONCES_PER_HOTKEY = 64;

class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Builds the axon's request handler. */
export function createAxon(options: AxonOptions): AxonHandler {
  const { pair, log } = options;
  const now = () => options.clock.now().getTime();
  for (const [name, entry] of Object.entries(options.synapses)) {
    if (entry.schema.name !== name) {
      throw new RangeError(`Synapse key "${name}" does not match its definition "${entry.schema.name}"`);
    }
  }
  const synapses = new Map(Object.entries(options.synapses));
  const uuid = options.uuid ?? crypto.randomUUID();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const gate = new PriorityGate(
    options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
    options.maxQueued ?? DEFAULT_MAX_QUEUED,
  );
  const nonces = new Map<string, bigint>();
  const uuidsPerHotkey = new Map<string, number>();
  let pruneNoncesAt = PRUNE_FLOOR;
  /** Deletes expired nonces (all, or one hotkey's) and recounts the uuids per hotkey. */
  const pruneNonces = (nowNs: bigint, only?: string) => {
    const expiry = nonceExpiryNs(nowNs);
    for (const [k, n] of nonces) {
      if (n >= expiry || (only !== undefined && !k.startsWith(`${only}:`))) continue;
      nonces.delete(k);
      const hk = k.slice(0, k.indexOf(":"));
      uuidsPerHotkey.set(hk, (uuidsPerHotkey.get(hk) ?? 1) - 1);
    }
  };
  const limiter = createRateLimiter(options.rateLimitPerMinute);

  return async function axonHandler(request: Request, info?: AxonPeerInfo): Promise<Response> {
    const startMs = now();
    const name = routeName(request);
    const entry = synapses.get(name);
    let meta: SynapseRequestMeta | undefined;
    let verified = false;

    // The success body repeats header values (axon nonce, signature, process time), hence a function.
    const answer = (
      status: number,
      body: { message: string } | ((headers: Record<string, string>) => unknown),
      message: string,
      extra: Record<string, string> = {},
    ) => {
      const axonNonce = msToNs(now());
      const axonSignature = verified && meta
        ? signMessage(
          pair,
          axonSigningMessage({
            nonce: axonNonce,
            dendriteHotkey: meta.dendrite.hotkey,
            axonHotkey: pair.address,
            uuid,
          }),
        )
        : undefined;
      const headers = buildAxonResponseHeaders({
        name: entry ? name : "Synapse",
        timeoutSeconds: meta?.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
        statusCode: status,
        statusMessage: message,
        processTimeSeconds: Math.max(0, now() - startMs) / 1000,
        axon: {
          ip: options.external?.ip,
          port: options.external?.port,
          version: BITTENSOR_VERSION_AS_INT,
          nonce: axonNonce,
          uuid,
          hotkey: pair.address,
          signature: axonSignature,
        },
        dendrite: meta && {
          ip: info?.remoteAddr?.hostname,
          port: info?.remoteAddr?.port,
          version: meta.dendrite.version,
          nonce: meta.dendrite.nonce,
          uuid: meta.dendrite.uuid,
          hotkey: meta.dendrite.hotkey,
          signature: meta.dendrite.signature,
        },
        computedBodyHash: meta?.computedBodyHash,
      });
      const payload = typeof body === "function" ? body(headers) : body;
      return new Response(synapseJson(payload), {
        status,
        headers: { ...headers, ...extra, "content-type": "application/json" },
      });
    };
    const refuse = (status: number, message: string, extra?: Record<string, string>) =>
      answer(status, { message }, message, extra);

    try {
      // 1. Route.
      if (!entry) {
        return refuse(
          404,
          `Synapse name '${name}' not found. Available synapses ${pyList([...synapses.keys()])}`,
        );
      }
      if (request.method !== "POST") {
        return refuse(405, `Method ${request.method} not allowed: use POST`, { allow: "POST" });
      }

      // 2. Headers.
      const parsed = parseSynapseHeaders(request.headers);
      if (!parsed.ok) {
        return refuse(
          400,
          `Improperly formatted request. Could not parse headers into ${name}: ${parsed.error}`,
        );
      }
      meta = parsed.value;
      const hotkey = meta.dendrite.hotkey;

      // 3. Blacklist (the claimed hotkey; cheap, before any sr25519 work).
      if (!(await options.isRegistered(hotkey))) {
        return refuse(403, "Forbidden. Key is blacklisted: Unrecognized hotkey.");
      }
      const reason = await options.blacklist?.(hotkey, name);
      if (reason) return refuse(403, `Forbidden. Key is blacklisted: ${reason}.`);

      // 4. Rate limit the caller before any sr25519 work.
      const retryAfter = limiter(hotkey, now());
      if (retryAfter > 0) {
        return refuse(429, `Too Many Requests: at most ${options.rateLimitPerMinute} calls per minute`, {
          "retry-after": String(retryAfter),
        });
      }

      // 5. Verify: synchronous from here to `nonces.set`, so two requests cannot both pass one nonce.
      const nowNs = msToNs(now());
      const key = nonceKey(hotkey, meta.dendrite.uuid);
      const lastNonce = nonces.get(key);
      if (lastNonce === undefined && (uuidsPerHotkey.get(hotkey) ?? 0) >= MAX_NONCES_PER_HOTKEY) {
        pruneNonces(nowNs, hotkey);
        if ((uuidsPerHotkey.get(hotkey) ?? 0) >= MAX_NONCES_PER_HOTKEY) {
          return refuse(429, `Too Many Requests: at most ${MAX_NONCES_PER_HOTKEY} live sessions per hotkey`);
        }
      }
      const nonceVerdict = checkNonce({
        nonce: meta.dendrite.nonce,
        lastNonce,
        nowNs,
        timeoutSeconds: meta.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
      });
      if (!nonceVerdict.ok) return refuse(401, `Not Verified with error: ${nonceVerdict.reason}`);
      const message = synapseSigningMessage({
        nonce: meta.dendrite.nonce,
        dendriteHotkey: hotkey,
        axonHotkey: pair.address,
        uuid: meta.dendrite.uuid,
        bodyHash: meta.computedBodyHash,
      });
      if (!verifyHotkeySignature({ message, signature: meta.dendrite.signature, hotkey })) {
        return refuse(401, `Not Verified with error: Signature mismatch with ${message}`);
      }
      if (lastNonce === undefined) uuidsPerHotkey.set(hotkey, (uuidsPerHotkey.get(hotkey) ?? 0) + 1);
      nonces.set(key, meta.dendrite.nonce);
      verified = true;
      if (nonces.size >= pruneNoncesAt) {
        pruneNonces(nowNs);
        pruneNoncesAt = Math.max(PRUNE_FLOOR, nonces.size * 2);
      }

      // 6. Priority.
      // The caller's timeout bounds the wait, capped like the nonce window (timers overflow past 2^31 ms).
      const timeoutSeconds = Math.min(
        meta.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
        MAX_NONCE_TIMEOUT_SECONDS,
      );
      const timeoutMs = timeoutSeconds * 1000;
      let release: () => void;
      try {
        release = await gate.acquire((await entry.priority?.(hotkey)) ?? 0, timeoutMs);
      } catch (error) {
        if (error instanceof GateFullError) return refuse(503, error.message);
        if (error instanceof GateTimeoutError) return refuse(408, error.message);
        throw error;
      }
      try {
        // 7. Body integrity.
        const fields = await readRequestFields(request, entry.schema, maxBodyBytes);
        if (synapseBodyHash(fields, entry.schema.requiredHashFields) !== meta.computedBodyHash) {
          return refuse(400, "Hash mismatch: the body does not match computed_body_hash");
        }

        // 8. Handler.
        const result = await entry.handler(fields, {
          hotkey,
          synapse: name,
          // A getter: Deno warns on any read of `request.signal`, so only handlers that need it pay.
          get signal() {
            return request.signal;
          },
        });
        const response = entry.schema.response.safeParse(result);
        if (!response.success) throw new TypeError(`${name} handler answered an invalid response`);
        const m = meta;
        return answer(200, (headers: Record<string, string>) => ({
          ...nullFields(entry.schema),
          ...fields,
          ...response.data,
          name,
          timeout: m.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
          total_size: 0,
          header_size: 0,
          computed_body_hash: m.computedBodyHash,
          dendrite: terminalInfo({
            ip: info?.remoteAddr?.hostname,
            port: info?.remoteAddr?.port,
            version: m.dendrite.version,
            nonce: m.dendrite.nonce,
            uuid: m.dendrite.uuid,
            hotkey: m.dendrite.hotkey,
            signature: m.dendrite.signature,
          }),
          axon: terminalInfo({
            status_code: 200,
            status_message: "Success",
            process_time: Number(headers[SYNAPSE_HEADER.axonProcessTime]),
            ip: options.external?.ip,
            port: options.external?.port,
            version: BITTENSOR_VERSION_AS_INT,
            nonce: BigInt(headers[SYNAPSE_HEADER.axonNonce]),
            uuid,
            hotkey: pair.address,
            signature: headers[SYNAPSE_HEADER.axonSignature],
          }),
        }), "Success");
      } finally {
        release();
      }
    } catch (error) {
      if (error instanceof Refusal) return refuse(error.status, error.message, error.headers);
      if (error instanceof AxonHandlerError) return refuse(error.status, error.message);
      const id = crypto.randomUUID();
      log?.error("axon request failed", { synapse: name, id, error });
      return refuse(500, `Internal Server Error #${id}`);
    }
  };
}

/** The synapse name: the one path segment, or "" when the path has another shape. */
function routeName(request: Request): string {
  const segments = new URL(request.url).pathname.split("/").slice(1);
  if (segments.length !== 1) return "";
  try {
    return decodeURIComponent(segments[0]);
  } catch {
    return "";
  }
}

/** Python's `str(list_of_str)`, for the SDK's 404 message. */
function pyList(names: string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}

function nullFields(synapse: SynapseDefinition): Record<string, null> {
  const keys = [...Object.keys(synapse.request.shape), ...Object.keys(synapse.response.shape)];
  return Object.fromEntries(keys.map((k) => [k, null]));
}

/** Reads at most `maxBytes` of the body, parses it and validates the synapse's request fields. */
async function readRequestFields(
  request: Request,
  synapse: SynapseDefinition,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new Refusal(413, `Payload too large: at most ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) throw new Refusal(413, `Payload too large: at most ${maxBytes} bytes`);
        chunks.push(value);
      }
    } finally {
      if (size > maxBytes) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new Refusal(400, "Improperly formatted request: the body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new Refusal(400, "Improperly formatted request: the body is not a JSON object");
  }
  const parsed = synapse.request.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Refusal(400, `Improperly formatted request: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(synapse.request.shape)) fields[k] = null;
  for (const [k, v] of Object.entries(parsed.data as Record<string, unknown>)) {
    if (v !== undefined) fields[k] = v;
  }
  return fields;
}

/**
 * A token bucket per hotkey: `perMinute` calls of burst, refilled evenly. Returns 0 when the call may
 * proceed, otherwise the seconds until a token is back (for `Retry-After`).
 */
function createRateLimiter(perMinute: number): (hotkey: string, nowMs: number) => number {
  if (!Number.isFinite(perMinute)) return () => 0;
  if (!(perMinute > 0)) throw new RangeError("rateLimitPerMinute must be positive (Infinity: no limit)");
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let pruneAt = PRUNE_FLOOR;
  return (hotkey, nowMs) => {
    if (buckets.size >= pruneAt) {
      for (const [k, b] of buckets) {
        if (b.tokens + (nowMs - b.at) * refillPerMs >= perMinute) buckets.delete(k);
      }
      pruneAt = Math.max(PRUNE_FLOOR, buckets.size * 2);
    }
    const bucket = buckets.get(hotkey) ?? { tokens: perMinute, at: nowMs };
    bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * refillPerMs);
    bucket.at = nowMs;
    buckets.set(hotkey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
  };
}
