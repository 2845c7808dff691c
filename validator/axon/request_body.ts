/**
 * Step 7 of the axon (axon.ts): reading a synapse request's body within a size limit and checking its fields,
 * and `Refusal`, the error a check throws to answer with its status.
 * @module
 */
import type { SynapseDefinition } from "../../shared/synapse.ts";

/** A refusal a check throws: the axon answers it with `status`, `message` and `headers`. */
export class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Every request and response field of `synapse`, null: the base of a success body. */
export function nullFields(synapse: SynapseDefinition): Record<string, null> {
  const keys = [...Object.keys(synapse.request.shape), ...Object.keys(synapse.response.shape)];
  return Object.fromEntries(keys.map((k) => [k, null]));
}

/** Reads at most `maxBytes` of the body, parses it and validates the synapse's request fields. */
export async function readRequestFields(
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
