/**
 * The miner's dendrite: calls a validator's axon (zipmine's or any Python SDK 10.2.0 axon) the way the
 * SDK's `Dendrite.call` does: `POST http://{ip}:{port}/{SynapseName}` with the SDK's headers, the body as
 * `model_dump()` JSON, a hotkey signature over `{nonce}.{dendrite}.{axon}.{uuid}.{body_hash}`.
 *
 * The answer is accepted only when the HTTP status and the axon's status code (the
 * `bt_header_axon_status_code` header, else `axon.status_code` in the body) are both 200 and the body has
 * the synapse's response shape. Failures throw `DendriteError` with the status the SDK's dendrite records
 * for them (`DENDRITE_ERROR_MAPPING`): connection 503, timeout 408, payload 400, unparseable 422, and the
 * axon's own code for its refusals.
 *
 * A dendrite keeps one uuid for its lifetime and strictly increasing nonces, because axons remember the
 * last nonce per `{hotkey}:{uuid}` and refuse anything not newer; `createDendrite` does both.
 * @module
 */
import type { z } from "zod";
import type { KeyringPair } from "../../signature.ts";
import type { AxonResponseMeta } from "../../schemas/synapse.ts";
import {
  msToNs,
  parseAxonResponseHeaders,
  signSynapseRequest,
  type SynapseDefinition,
} from "../../synapse.ts";
import type { Clock } from "../../ports.ts";

/** Where the axon is, and whose it is (from the metagraph). */
export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
}

/** Why a call failed; `status` is the code the SDK's dendrite would record. */
export type DendriteErrorKind = "connect" | "timeout" | "payload" | "parse" | "refused" | "invalid-response";

/** A failed call. */
export class DendriteError extends Error {
  constructor(
    readonly kind: DendriteErrorKind,
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DendriteError";
  }
}

/** A successful call. */
export interface AxonReply<T> {
  /** The synapse's response fields, validated. */
  response: T;
  /** The axon's side from the answer's headers. */
  axon: AxonResponseMeta;
  /** Round trip in milliseconds by the caller's clock. */
  elapsedMs: number;
}

/** One call. */
export interface CallAxonOptions<Req extends z.ZodObject, Res extends z.ZodObject> {
  pair: KeyringPair;
  axon: AxonTarget;
  synapse: SynapseDefinition<Req, Res>;
  body: z.input<Req>;
  timeoutMs: number;
  /** Milliseconds since the Unix epoch. */
  clock: Clock;
  fetch?: typeof fetch;
  /** The dendrite's uuid; one-off calls get a random one (prefer `createDendrite`). */
  uuid?: string;
  /** Defaults to the clock's time in nanoseconds. */
  nonce?: bigint;
  /** Sent as `bt_header_dendrite_ip` (the SDK sends its external IP; axons overwrite it). */
  dendriteIp?: string;
}

/** Calls `axon` once; resolves to the validated response or throws `DendriteError`. */
export async function callAxon<Req extends z.ZodObject, Res extends z.ZodObject>(
  options: CallAxonOptions<Req, Res>,
): Promise<AxonReply<z.output<Res>>> {
  const { synapse, axon } = options;
  const now = () => options.clock.now().getTime();
  const fields = synapse.request.parse(options.body) as Record<string, unknown>;
  const signed = signSynapseRequest(options.pair, {
    synapse,
    fields,
    axon,
    dendrite: {
      hotkey: options.pair.address,
      nonce: options.nonce ?? msToNs(now()),
      uuid: options.uuid ?? crypto.randomUUID(),
      ip: options.dendriteIp ?? "0.0.0.0",
    },
    timeoutSeconds: options.timeoutMs / 1000,
  });
  const host = axon.ip.includes(":") ? `[${axon.ip}]` : axon.ip;
  const url = `http://${host}:${axon.port}/${synapse.name}`;
  const started = now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const { response, text } = await exchange(options, url, signed, controller.signal);
    return { ...readReply(synapse, response, text), elapsedMs: now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Posts the signed request and reads the answer's text; connection, timeout and cut-short failures. */
async function exchange<Req extends z.ZodObject, Res extends z.ZodObject>(
  options: CallAxonOptions<Req, Res>,
  url: string,
  signed: { headers: Record<string, string>; body: string },
  signal: AbortSignal,
): Promise<{ response: Response; text: string }> {
  const { synapse, axon } = options;
  const fetchFn = options.fetch ?? fetch;
  const timedOut = () =>
    new DendriteError("timeout", 408, `Request timeout after ${options.timeoutMs / 1000} seconds`);
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: "POST",
      headers: { ...signed.headers, "content-type": "application/json" },
      body: signed.body,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw timedOut();
    throw new DendriteError(
      "connect",
      503,
      `Service unavailable at ${axon.ip}:${axon.port}/${synapse.name}`,
      {
        cause: error,
      },
    );
  }
  try {
    return { response, text: await response.text() };
  } catch (error) {
    if (signal.aborted) throw timedOut();
    throw new DendriteError("payload", 400, "Payload error: the answer was cut short", { cause: error });
  }
}

/** The answer's JSON, headers, HTTP and axon status, and the synapse's response schema, checked in order. */
function readReply<Req extends z.ZodObject, Res extends z.ZodObject>(
  synapse: SynapseDefinition<Req, Res>,
  response: Response,
  text: string,
): { response: z.output<Res>; axon: AxonResponseMeta } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DendriteError("parse", 422, `Failed to parse response (HTTP ${response.status})`, {
      cause: error,
    });
  }
  const headers = parseAxonResponseHeaders(response.headers);
  if (!headers.ok) {
    throw new DendriteError("parse", 422, `Failed to parse response headers: ${headers.error}`);
  }
  const body = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (response.status !== 200) {
    const message = typeof body.message === "string" ? body.message : `HTTP ${response.status}`;
    throw new DendriteError("refused", response.status, message);
  }
  const bodyAxon = body.axon as { status_code?: unknown } | null | undefined;
  const axonStatus = headers.value.statusCode ?? bodyAxon?.status_code;
  if (axonStatus !== 200) {
    const code = typeof axonStatus === "number" ? axonStatus : 422;
    throw new DendriteError(
      "refused",
      code,
      headers.value.statusMessage ?? "The axon did not report success",
    );
  }
  const parsed = synapse.response.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DendriteError(
      "invalid-response",
      422,
      `Invalid ${synapse.name} response: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return { response: parsed.data, axon: headers.value };
}

/** A dendrite: one hotkey, one uuid, strictly increasing nonces. */
export interface Dendrite {
  readonly hotkey: string;
  readonly uuid: string;
  call<Req extends z.ZodObject, Res extends z.ZodObject>(
    axon: AxonTarget,
    synapse: SynapseDefinition<Req, Res>,
    body: z.input<Req>,
    timeoutMs: number,
  ): Promise<AxonReply<z.output<Res>>>;
}

/** How to build a dendrite. */
export interface DendriteOptions {
  pair: KeyringPair;
  clock: Clock;
  fetch?: typeof fetch;
  uuid?: string;
  dendriteIp?: string;
}

/** A dendrite whose nonces never repeat, even for calls in the same millisecond. */
export function createDendrite(options: DendriteOptions): Dendrite {
  const uuid = options.uuid ?? crypto.randomUUID();
  let lastNonce = 0n;
  return {
    hotkey: options.pair.address,
    uuid,
    call(axon, synapse, body, timeoutMs) {
      const clock = msToNs(options.clock.now().getTime());
      lastNonce = clock > lastNonce ? clock : lastNonce + 1n;
      return callAxon({
        pair: options.pair,
        axon,
        synapse,
        body,
        timeoutMs,
        clock: options.clock,
        fetch: options.fetch,
        uuid,
        nonce: lastNonce,
        dendriteIp: options.dendriteIp,
      });
    },
  };
}
