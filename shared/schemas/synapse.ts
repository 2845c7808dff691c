/**
 * Wire shapes of the Bittensor synapse protocol (SDK 10.2.0) that zipmine's axon and dendrite speak: the
 * request headers a dendrite sends, the headers an axon answers with, the `TerminalInfo` objects inside
 * the JSON body, and the error body. Header names are the SDK's: lowercase snake_case with underscores
 * (`Synapse.to_headers`); every value is Python's `str(v)` of the field. The rules that build and check
 * these values (body hash, signed message, nonce window) live in `shared/synapse.ts`.
 * @module
 */
import { z } from "zod";
import { HotkeySchema, SignatureSchema } from "./common.ts";

/** A synapse (route) name: a Python class name, the first and only path segment. */
export const SynapseNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "expected a class name");

/** A decimal integer as Python's `str(int)` writes it (non-negative here). */
const IntStringSchema = z.string().regex(/^\d{1,15}$/, "expected a decimal integer").transform(Number);

/** A float as Python's `str(float)` writes it ("12.0", "1e-05"); finite and positive. */
const PositiveFloatStringSchema = z.string().max(32).transform((s, ctx) => {
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) ? Number(s) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    ctx.addIssue({ code: "custom", message: "expected a positive finite float" });
    return z.NEVER;
  }
  return value;
});

/** A dendrite nonce: `time.time_ns()`, nanoseconds since the Unix epoch, beyond 2^53 so a bigint. */
export const NonceStringSchema = z.string().regex(/^\d{1,20}$/, "expected a nanosecond nonce")
  .transform((s) => BigInt(s));

/** The dendrite's uuid (`str(uuid.uuid1())` in the SDK); no dots, so the signed message stays unambiguous. */
export const TerminalUuidSchema = z.string().regex(/^[0-9A-Za-z-]{1,64}$/, "expected a uuid");

/** A SHA3-256 body hash: 64 lowercase hex characters without `0x`. */
export const BodyHashSchema = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters");

/** A field that reads as absent when it is missing or malformed. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** A printable, bounded header value (an IP address, a status message). */
const TextHeaderSchema = z.string().max(512);

/**
 * The request headers of a synapse call, as the SDK's dendrite sends them (`Synapse.to_headers` after
 * `preprocess_synapse_for_request`). Parsing yields the typed request metadata. The fields the axon needs
 * to verify a caller are required; the informational ones (`header_size`, `total_size`, the axon's own
 * ip/port, the dendrite's version and ip) are optional. `bt_header_input_obj_*` headers are not listed: a
 * TS axon reads the body, not the header dummies.
 */
export const SynapseHeadersSchema = z.object({
  name: SynapseNameSchema.optional(),
  timeout: PositiveFloatStringSchema.optional(),
  bt_header_axon_ip: TextHeaderSchema.optional(),
  bt_header_axon_port: IntStringSchema.optional(),
  bt_header_axon_hotkey: HotkeySchema.optional(),
  bt_header_dendrite_ip: TextHeaderSchema.optional(),
  bt_header_dendrite_version: IntStringSchema.optional(),
  bt_header_dendrite_nonce: NonceStringSchema,
  bt_header_dendrite_uuid: TerminalUuidSchema,
  bt_header_dendrite_hotkey: HotkeySchema,
  bt_header_dendrite_signature: SignatureSchema,
  header_size: IntStringSchema.optional(),
  total_size: IntStringSchema.optional(),
  computed_body_hash: BodyHashSchema,
}).transform((h) => ({
  name: h.name,
  /** Seconds; the SDK's default is 12.0 when the header is absent. */
  timeoutSeconds: h.timeout,
  axon: { ip: h.bt_header_axon_ip, port: h.bt_header_axon_port, hotkey: h.bt_header_axon_hotkey },
  dendrite: {
    ip: h.bt_header_dendrite_ip,
    version: h.bt_header_dendrite_version,
    nonce: h.bt_header_dendrite_nonce,
    uuid: h.bt_header_dendrite_uuid,
    hotkey: h.bt_header_dendrite_hotkey,
    signature: h.bt_header_dendrite_signature,
  },
  computedBodyHash: h.computed_body_hash,
}));
/** The headers as they travel (every value a string). */
export type SynapseHeaders = z.input<typeof SynapseHeadersSchema>;
/** The parsed request metadata. */
export type SynapseRequestMeta = z.output<typeof SynapseHeadersSchema>;

/**
 * The `bt_header_axon_*` headers of an axon's answer, as the SDK's dendrite reads them back
 * (`process_server_response` merges `Synapse.from_headers(response.headers)`). All optional: only
 * `bt_header_axon_status_code: 200` decides whether the SDK counts the call a success.
 */
export const AxonResponseHeadersSchema = z.object({
  bt_header_axon_status_code: lenient(IntStringSchema),
  bt_header_axon_status_message: lenient(z.string()),
  bt_header_axon_process_time: lenient(z.string().max(32).transform(Number).pipe(z.number().nonnegative())),
  bt_header_axon_ip: lenient(z.string()),
  bt_header_axon_port: lenient(IntStringSchema),
  bt_header_axon_version: lenient(IntStringSchema),
  bt_header_axon_nonce: lenient(NonceStringSchema),
  bt_header_axon_uuid: lenient(z.string()),
  bt_header_axon_hotkey: lenient(HotkeySchema),
  bt_header_axon_signature: lenient(SignatureSchema),
}).transform((h) => ({
  statusCode: h.bt_header_axon_status_code,
  statusMessage: h.bt_header_axon_status_message,
  /** Seconds, as the SDK's axon measures it. */
  processTime: h.bt_header_axon_process_time,
  ip: h.bt_header_axon_ip,
  port: h.bt_header_axon_port,
  version: h.bt_header_axon_version,
  nonce: h.bt_header_axon_nonce,
  uuid: h.bt_header_axon_uuid,
  hotkey: h.bt_header_axon_hotkey,
  signature: h.bt_header_axon_signature,
}));
/** The axon's side of an answer, parsed. */
export type AxonResponseMeta = z.output<typeof AxonResponseHeadersSchema>;

/**
 * The SDK's `TerminalInfo` as it appears in a synapse's JSON body (`dendrite` and `axon`); every field is
 * optional and `null` when unset, exactly as pydantic's `model_dump` writes it. `nonce` may exceed 2^53:
 * readers must not rely on the body's value (the SDK takes the nonce from the header).
 */
export const TerminalInfoSchema = z.object({
  status_code: z.number().int().nullable().optional(),
  status_message: z.string().nullable().optional(),
  process_time: z.number().nullable().optional(),
  ip: z.string().nullable().optional(),
  port: z.number().int().nullable().optional(),
  version: z.number().int().nullable().optional(),
  nonce: z.union([z.number(), z.bigint()]).nullable().optional(),
  uuid: z.string().nullable().optional(),
  hotkey: z.string().nullable().optional(),
  signature: z.string().nullable().optional(),
});
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

/** The body of every non-200 answer (`create_error_response` in the SDK's axon). */
export const SynapseErrorBodySchema = z.object({ message: z.string().nullable() });
export type SynapseErrorBody = z.infer<typeof SynapseErrorBodySchema>;
