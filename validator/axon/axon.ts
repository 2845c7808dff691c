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
 *
 * A little over 400 lines: the eight checks stay in one file, in the order above, so the order can be
 * reviewed against the SDK at a glance; the per-caller limits and the body reader live beside it
 * (`caller_limits.ts`, `request_body.ts`).
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../../shared/log.ts";
import { type KeyringPair, signMessage, verifyHotkeySignature } from "../../shared/signature.ts";
import type { SynapseRequestMeta } from "../../shared/schemas/synapse.ts";
import {
  type AxonAnswerFields,
  axonSigningMessage,
  BITTENSOR_VERSION_AS_INT,
  buildAxonResponseHeaders,
  checkNonce,
  DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
  MAX_NONCE_TIMEOUT_SECONDS,
  msToNs,
  parseSynapseHeaders,
  SYNAPSE_HEADER,
  synapseBodyHash,
  type SynapseDefinition,
  synapseJson,
  synapseSigningMessage,
  terminalInfo,
} from "../../shared/synapse.ts";
import { createNonceBook, createRateLimiter, type NonceBook, type RateLimiter } from "./caller_limits.ts";
import { GateFullError, GateTimeoutError, PriorityGate } from "./priority_gate.ts";
import { nullFields, readRequestFields, Refusal } from "./request_body.ts";
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
/** Live dendrite sessions (uuids) remembered per hotkey; the SDK uses one uuid per dendrite. */
export const MAX_NONCES_PER_HOTKEY = 64;

/** What every call of one axon shares. */
interface AxonState {
  options: AxonOptions;
  synapses: Map<string, AxonSynapse>;
  uuid: string;
  maxBodyBytes: number;
  gate: PriorityGate;
  nonces: NonceBook;
  limiter: RateLimiter;
  now: () => number;
}

/** One call as it passes the checks: what the answer's headers repeat. */
interface AxonCall {
  state: AxonState;
  name: string;
  entry: AxonSynapse | undefined;
  startMs: number;
  info?: AxonPeerInfo;
  meta?: SynapseRequestMeta;
  /** Set once the signature verified: only then does the axon sign its answer. */
  verified: boolean;
}

/** Builds the axon's request handler. */
export function createAxon(options: AxonOptions): AxonHandler {
  for (const [name, entry] of Object.entries(options.synapses)) {
    if (entry.schema.name !== name) {
      throw new RangeError(`Synapse key "${name}" does not match its definition "${entry.schema.name}"`);
    }
  }
  const state: AxonState = {
    options,
    synapses: new Map(Object.entries(options.synapses)),
    uuid: options.uuid ?? crypto.randomUUID(),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    gate: new PriorityGate(
      options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
      options.maxQueued ?? DEFAULT_MAX_QUEUED,
    ),
    nonces: createNonceBook(MAX_NONCES_PER_HOTKEY),
    limiter: createRateLimiter(options.rateLimitPerMinute),
    now: () => options.clock.now().getTime(),
  };
  return async function axonHandler(request: Request, info?: AxonPeerInfo): Promise<Response> {
    const name = routeName(request);
    const entry = state.synapses.get(name);
    const call: AxonCall = { state, name, entry, startMs: state.now(), info, verified: false };
    try {
      return (await admit(call, request)) ?? (await serve(call, request));
    } catch (error) {
      if (error instanceof Refusal) return refuse(call, error.status, error.message, error.headers);
      if (error instanceof AxonHandlerError) return refuse(call, error.status, error.message);
      const id = crypto.randomUUID();
      options.log?.error("axon request failed", { synapse: name, id, error });
      return refuse(call, 500, `Internal Server Error #${id}`);
    }
  };
}

/** Steps 1 to 5: a refusal, or undefined once the caller is verified (and its nonce remembered). */
async function admit(call: AxonCall, request: Request): Promise<Response | undefined> {
  const { state, name } = call;
  const { options } = state;
  // 1. Route.
  if (!call.entry) {
    const available = pyList([...state.synapses.keys()]);
    return refuse(call, 404, `Synapse name '${name}' not found. Available synapses ${available}`);
  }
  if (request.method !== "POST") {
    return refuse(call, 405, `Method ${request.method} not allowed: use POST`, { allow: "POST" });
  }

  // 2. Headers.
  const parsed = parseSynapseHeaders(request.headers);
  if (!parsed.ok) {
    const detail = `Could not parse headers into ${name}: ${parsed.error}`;
    return refuse(call, 400, `Improperly formatted request. ${detail}`);
  }
  const meta = call.meta = parsed.value;
  const hotkey = meta.dendrite.hotkey;

  // 3. Blacklist (the claimed hotkey; cheap, before any sr25519 work).
  if (!(await options.isRegistered(hotkey))) {
    return refuse(call, 403, "Forbidden. Key is blacklisted: Unrecognized hotkey.");
  }
  const reason = await options.blacklist?.(hotkey, name);
  if (reason) return refuse(call, 403, `Forbidden. Key is blacklisted: ${reason}.`);

  // 4. Rate limit the caller before any sr25519 work.
  const retryAfter = state.limiter(hotkey, state.now());
  if (retryAfter > 0) {
    return refuse(call, 429, `Too Many Requests: at most ${options.rateLimitPerMinute} calls per minute`, {
      "retry-after": String(retryAfter),
    });
  }

  // 5. Verify: synchronous from here to `nonces.remember`, so two requests cannot both pass one nonce.
  const nowNs = msToNs(state.now());
  const session = state.nonces.open(hotkey, meta.dendrite.uuid, nowNs);
  if (!session.ok) {
    return refuse(call, 429, `Too Many Requests: at most ${MAX_NONCES_PER_HOTKEY} live sessions per hotkey`);
  }
  const nonceVerdict = checkNonce({
    nonce: meta.dendrite.nonce,
    lastNonce: session.lastNonce,
    nowNs,
    timeoutSeconds: meta.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
  });
  if (!nonceVerdict.ok) return refuse(call, 401, `Not Verified with error: ${nonceVerdict.reason}`);
  const message = synapseSigningMessage({
    nonce: meta.dendrite.nonce,
    dendriteHotkey: hotkey,
    axonHotkey: options.pair.address,
    uuid: meta.dendrite.uuid,
    bodyHash: meta.computedBodyHash,
  });
  if (!verifyHotkeySignature({ message, signature: meta.dendrite.signature, hotkey })) {
    return refuse(call, 401, `Not Verified with error: Signature mismatch with ${message}`);
  }
  state.nonces.remember(hotkey, meta.dendrite.uuid, meta.dendrite.nonce, nowNs);
  call.verified = true;
  return undefined;
}

/** Steps 6 to 8 for a verified caller: wait for a slot, check the body, run the handler, answer. */
async function serve(call: AxonCall, request: Request): Promise<Response> {
  const { state, name } = call;
  const entry = call.entry!;
  const meta = call.meta!;
  const hotkey = meta.dendrite.hotkey;
  // 6. Priority.
  // The caller's timeout bounds the wait, capped like the nonce window (timers overflow past 2^31 ms).
  const timeoutSeconds = Math.min(
    meta.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
    MAX_NONCE_TIMEOUT_SECONDS,
  );
  let release: () => void;
  try {
    release = await state.gate.acquire((await entry.priority?.(hotkey)) ?? 0, timeoutSeconds * 1000);
  } catch (error) {
    if (error instanceof GateFullError) return refuse(call, 503, error.message);
    if (error instanceof GateTimeoutError) return refuse(call, 408, error.message);
    throw error;
  }
  try {
    // 7. Body integrity.
    const fields = await readRequestFields(request, entry.schema, state.maxBodyBytes);
    if (synapseBodyHash(fields, entry.schema.requiredHashFields) !== meta.computedBodyHash) {
      return refuse(call, 400, "Hash mismatch: the body does not match computed_body_hash");
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
    return answer(call, 200, (headers) => successBody(call, fields, response.data, headers), "Success");
  } finally {
    release();
  }
}

/** The whole synapse the SDK's dendrite expects on success: request and response fields, both terminals. */
function successBody(
  call: AxonCall,
  fields: Record<string, unknown>,
  response: Record<string, unknown>,
  headers: Record<string, string>,
): unknown {
  const meta = call.meta!;
  return {
    ...nullFields(call.entry!.schema),
    ...fields,
    ...response,
    name: call.name,
    timeout: meta.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
    total_size: 0,
    header_size: 0,
    computed_body_hash: meta.computedBodyHash,
    dendrite: terminalInfo(dendriteTerminal(call, meta)),
    axon: terminalInfo({
      status_code: 200,
      status_message: "Success",
      process_time: Number(headers[SYNAPSE_HEADER.axonProcessTime]),
      ...axonTerminal(call, BigInt(headers[SYNAPSE_HEADER.axonNonce]), headers[SYNAPSE_HEADER.axonSignature]),
    }),
  };
}

/** The axon as it states itself in an answer: where it is reached, its key, this answer's nonce and signature. */
function axonTerminal(
  call: AxonCall,
  nonce: bigint,
  signature: string | undefined,
): AxonAnswerFields["axon"] {
  const { options: { external, pair }, uuid } = call.state;
  const version = BITTENSOR_VERSION_AS_INT;
  return { ip: external?.ip, port: external?.port, version, nonce, uuid, hotkey: pair.address, signature };
}

/** The caller as an answer echoes it: its TCP peer and what its signed headers said. */
function dendriteTerminal(
  call: AxonCall,
  meta: SynapseRequestMeta,
): NonNullable<AxonAnswerFields["dendrite"]> {
  const { version, nonce, uuid, hotkey, signature } = meta.dendrite;
  const peer = call.info?.remoteAddr;
  return { ip: peer?.hostname, port: peer?.port, version, nonce, uuid, hotkey, signature };
}

/** An error answer: `{message}` with the SDK's headers. */
function refuse(call: AxonCall, status: number, message: string, extra?: Record<string, string>): Response {
  return answer(call, status, { message }, message, extra);
}

/**
 * An answer with the SDK's headers, signed by the axon only for a verified caller. The success body repeats
 * header values (axon nonce, signature, process time), hence a function of the headers.
 */
function answer(
  call: AxonCall,
  status: number,
  body: { message: string } | ((headers: Record<string, string>) => unknown),
  message: string,
  extra: Record<string, string> = {},
): Response {
  const { options, uuid } = call.state;
  const { pair } = options;
  const meta = call.meta;
  const axonNonce = msToNs(call.state.now());
  const axonSignature = call.verified && meta
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
    name: call.entry ? call.name : "Synapse",
    timeoutSeconds: meta?.timeoutSeconds ?? DEFAULT_SYNAPSE_TIMEOUT_SECONDS,
    statusCode: status,
    statusMessage: message,
    processTimeSeconds: Math.max(0, call.state.now() - call.startMs) / 1000,
    axon: axonTerminal(call, axonNonce, axonSignature),
    dendrite: meta && dendriteTerminal(call, meta),
    computedBodyHash: meta?.computedBodyHash,
  });
  const payload = typeof body === "function" ? body(headers) : body;
  return new Response(synapseJson(payload), {
    status,
    headers: { ...headers, ...extra, "content-type": "application/json" },
  });
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
