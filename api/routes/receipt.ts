/**
 * Issuing a submission receipt for one part manifest: the key must be one of the miner's manifest keys of
 * that epoch, and the object must exist in the miner bucket with exactly the reported SHA-256, so a
 * receipt never predates its upload. A part that already holds a receipt keeps it (no S3 read).
 * @module
 */
import { sha256Hex } from "../../shared/canonical_json.ts";
import { minerManifestKey, parseObjectKey } from "../../shared/s3_keys.ts";
import type { StatusRequest, SubmissionReceipt } from "../../shared/schemas/zipcode_assignments.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { findReceipt, recordCompleted } from "../stores/receipts.ts";

/** Validators refuse larger manifests (validator/gather.ts), so the API reads no more. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The part manifest a COMPLETED names: its key, checked to be the miner's own for that epoch. */
export function manifestKeyOf(input: Pick<StatusRequest, "hotkey" | "epochId" | "manifestKey">): string {
  const key = input.manifestKey ?? minerManifestKey(input.hotkey, input.epochId);
  let parsed;
  try {
    parsed = parseObjectKey(key, { hotkey: input.hotkey });
  } catch (error) {
    if (error instanceof SyntaxError) throw new ApiError(400, error.message, "bad_manifest_key");
    throw error;
  }
  if (parsed.kind !== "minerManifest" || parsed.epochId !== input.epochId) {
    throw new ApiError(
      400,
      `manifestKey ${JSON.stringify(key)} is not a manifest of epoch ${input.epochId}`,
      "bad_manifest_key",
    );
  }
  return key;
}

/** Checks the manifest in S3 and records (or returns) its receipt; throws `ApiError` otherwise. */
export async function issueReceipt(deps: ApiDeps, input: StatusRequest): Promise<SubmissionReceipt> {
  const { hotkey, epochId, manifestSha256 } = input;
  if (!manifestSha256) {
    throw new ApiError(400, "A COMPLETED status needs manifestSha256", "no_manifest");
  }
  const manifestKey = manifestKeyOf(input);
  const held = await findReceipt(deps.kv, epochId, hotkey, manifestKey);
  if (held) return held;
  const bytes = await deps.objectReader.getObject(deps.config.S3_BUCKET, manifestKey, {
    maxBytes: MAX_MANIFEST_BYTES,
  });
  if (bytes === null) {
    throw new ApiError(
      409,
      `No manifest at ${manifestKey}: upload it before reporting COMPLETED`,
      "no_manifest",
    );
  }
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new ApiError(
      409,
      `The manifest at ${manifestKey} is larger than ${MAX_MANIFEST_BYTES} bytes`,
      "manifest_too_large",
    );
  }
  if (sha256Hex(bytes) !== manifestSha256) {
    throw new ApiError(
      409,
      `The manifest at ${manifestKey} does not have SHA-256 ${manifestSha256}`,
      "manifest_mismatch",
    );
  }
  const outcome = await recordCompleted(
    deps.kv,
    { hotkey, epochId, manifestKey, manifestSha256 },
    deps.clock.now().getTime(),
    deps.config.MAX_MANIFEST_PARTS,
  );
  if (!outcome.ok) {
    throw new ApiError(409, `At most ${outcome.limit} part manifests per hotkey and epoch`, "too_many_parts");
  }
  deps.metrics.counter("zipmine_api_submissions_total", "COMPLETED statuses, first per part or repeated")
    .inc({ first: String(outcome.first) });
  return outcome.receipt;
}
