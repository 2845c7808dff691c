/**
 * The public record routes (`api/routes/public_record.ts`): once epoch N's validation window has closed,
 * anyone may read N's miners' files and every validator's outputs for N, so anyone can re-derive every
 * verdict (`deno task verify --api`). The miner routes answer with the same shapes as the validators'
 * `miner-list` and `file-urls`.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema } from "./common.ts";
import { MAX_PRESIGNED_KEYS } from "./s3_access.ts";

/** `GET /api/v1/public-record/{epochId}`: presigned GETs of each publishing validator's outputs. */
export const PublicRecordResponseSchema = z.object({
  success: z.literal(true),
  epoch_id: EpochIdSchema,
  /** Output name (`OUTPUT_FILES`) to presigned GET, per validator hotkey; a missing object answers 404. */
  validators: z.record(HotkeySchema, z.record(z.string(), z.string())),
  expiry_seconds: z.number().int(),
});

/** Query of `GET /api/v1/public-record/{epochId}/miners/{hotkey}`. */
export const PublicMinerListQuerySchema = z.object({ continuation_token: z.string().max(1024).optional() });

/** Body of `POST /api/v1/public-record/{epochId}/files`. */
export const PublicFilesRequestSchema = z.object({
  miner_hotkey: HotkeySchema,
  file_keys: z.array(z.string()).min(1).max(MAX_PRESIGNED_KEYS),
});
