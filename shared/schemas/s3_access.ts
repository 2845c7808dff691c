/**
 * Wire schemas of the S3 credential routes. Legacy routes keep RESI [A]'s snake_case keys (`folder`, `url`,
 * `fields`, `list_url`, ...) and add the camelCase aliases the live [C] API documents (`uploadUrl`,
 * `metadata.folderPath`), so both client families find their fields. Extra request fields that live
 * clients send (`coldkey`, `expiry` on validator routes) are accepted and ignored.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, IsoTimeSchema, SignedFieldsSchema, withAliases } from "./common.ts";

/** Form fields of a presigned POST (policy, credential, signature, key template, ...). */
export const PostFieldsSchema = z.record(z.string(), z.string());

/** Body of `POST /get-folder-access` (miners). */
export const FolderAccessRequestSchema = SignedFieldsSchema.extend({
  // Signed inside `s3:data:access:{coldkey}:...`, so it may not carry the separator.
  coldkey: z.string().min(1).max(64).regex(/^[^:\s]+$/, "expected an address without ':' or whitespace"),
  expiry: z.number().int().optional(),
});
export type FolderAccessRequest = z.infer<typeof FolderAccessRequestSchema>;

/** Response of `POST /get-folder-access`. */
export const FolderAccessResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  /** The running epoch the policy is confined to. */
  epoch_id: EpochIdSchema.optional(),
  /** `data/hotkey={hotkey}/epoch={epochId}/`: the upload prefix; clients prepend it to relative keys. */
  folder: z.string(),
  url: z.string(),
  uploadUrl: z.string(),
  fields: PostFieldsSchema,
  /** When the POST policy really expires (not the client's requested expiry). */
  expiry: IsoTimeSchema,
  list_url: z.string(),
  structure_info: z.object({ folder_structure: z.string(), description: z.string() }),
  metadata: z.object({ folderPath: z.string(), expiresAt: IsoTimeSchema, maxFileSize: z.string() }),
});

/** One upload policy issued ahead (issue 18): N's folder only, expiring at N's submission deadline. */
export const HeldUploadPolicySchema = z.object({
  epoch_id: EpochIdSchema,
  folder: z.string(),
  url: z.string(),
  fields: PostFieldsSchema,
  expiry: IsoTimeSchema,
});
export type HeldUploadPolicy = z.infer<typeof HeldUploadPolicySchema>;

/** Response of `POST /api/v1/s3-access/upload-policies-ahead`: the running and next epochs' policies. */
export const UploadPoliciesAheadResponseSchema = z.object({
  success: z.literal(true),
  policies: z.array(HeldUploadPolicySchema),
});

/** Body of `POST /get-validator-access`. */
export const ValidatorAccessRequestSchema = SignedFieldsSchema.extend({
  coldkey: z.string().max(64).optional(),
  expiry: z.number().int().optional(),
  miner_hotkey: z.string().optional(),
});

/** Response of `POST /get-validator-access`. */
export const ValidatorAccessResponseSchema = z.object({
  bucket: z.string(),
  region: z.string(),
  validator_hotkey: HotkeySchema,
  expiry: IsoTimeSchema,
  expiry_seconds: z.number().int(),
  urls: z.object({
    global: z.object({ list_all_data: z.string() }),
    miners: z.object({ list_all_miners: z.string() }),
  }),
  structure_info: z.object({ folder_structure: z.string(), description: z.string() }),
});

/** Body of `POST /get-miner-specific-access`. */
export const MinerSpecificAccessRequestSchema = SignedFieldsSchema.extend({
  miner_hotkey: HotkeySchema,
  coldkey: z.string().max(64).optional(),
  expiry: z.number().int().optional(),
});

/** Response of `POST /get-miner-specific-access`. */
export const MinerSpecificAccessResponseSchema = z.object({
  bucket: z.string(),
  region: z.string(),
  miner_hotkey: HotkeySchema,
  miner_url: z.string(),
  prefix: z.string(),
  expiry: IsoTimeSchema,
});

/**
 * Body of `POST /api/v1/s3-access/miner-list` (validators): a freshly signed ListObjectsV2 URL for one
 * page of a miner's prefix. Pagination works because each page gets its own signature; a continuation
 * token is never spliced into another URL's signed query.
 */
export const MinerListRequestSchema = SignedFieldsSchema.extend({
  miner_hotkey: HotkeySchema,
  /** Optional: list only this epoch's folder of the miner. */
  epoch_id: EpochIdSchema.optional(),
  continuation_token: z.string().max(2048).optional(),
});

/** Response of `POST /api/v1/s3-access/miner-list`. */
export const MinerListResponseSchema = z.object({
  success: z.literal(true),
  miner_hotkey: HotkeySchema,
  prefix: z.string(),
  list_url: z.string(),
  expiry_seconds: z.number().int(),
});

/** The most keys one presigned-GET call may ask for. */
export const MAX_PRESIGNED_KEYS = 500;

/** Body of `POST /api/v1/s3-access/file-urls` (validators): presigned GETs for keys of one miner. */
export const FileUrlsRequestSchema = SignedFieldsSchema.extend({
  miner_hotkey: HotkeySchema,
  file_keys: z.array(z.string().min(1).max(512)).min(1).max(MAX_PRESIGNED_KEYS),
});

/** Response of `POST /api/v1/s3-access/file-urls`. */
export const FileUrlsResponseSchema = z.object({
  success: z.literal(true),
  miner_hotkey: HotkeySchema,
  file_urls: z.record(z.string(), z.object({ presigned_url: z.string() })),
  expiry_seconds: z.number().int(),
});

/** Body of `POST /api/v1/s3-access/validator-upload`. */
export const ValidatorUploadRequestSchema = withAliases(
  SignedFieldsSchema.extend({
    epochId: EpochIdSchema,
    purpose: z.string().max(64).default("epoch_validation_results"),
    /** One output below the folder (e.g. `validation_report.json`); required after the evidence deadline. */
    file: z.string().min(1).max(256).optional(),
    estimatedDataSizeMb: z.number().nonnegative().optional(),
    retentionDays: z.number().int().nonnegative().optional(),
  }),
  { epoch_id: "epochId", estimated_data_size_mb: "estimatedDataSizeMb", retention_days: "retentionDays" },
);

/** Response of `POST /api/v1/s3-access/validator-upload`. */
export const ValidatorUploadResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  url: z.string(),
  uploadUrl: z.string(),
  /** `validators/{hotkey}/epoch={epochId}/`; `fields.key` is this prefix plus `${filename}`. */
  folder: z.string(),
  fields: PostFieldsSchema,
  metadata: z.object({
    folderPath: z.string(),
    expiresAt: IsoTimeSchema,
    maxFileSize: z.string(),
    supportedFormats: z.array(z.string()),
  }),
});

/** Body of `POST /api/v1/s3-access/validator-outputs-list`: one page of a validator's epoch folder. */
export const ValidatorOutputsListRequestSchema = SignedFieldsSchema.extend({
  validator_hotkey: HotkeySchema,
  epoch_id: EpochIdSchema,
  continuation_token: z.string().max(2048).optional(),
});

/** Body of `POST /api/v1/s3-access/validator-outputs-files`: presigned GETs for a validator's outputs. */
export const ValidatorOutputsFilesRequestSchema = SignedFieldsSchema.extend({
  validator_hotkey: HotkeySchema,
  file_keys: z.array(z.string().min(1).max(512)).min(1).max(MAX_PRESIGNED_KEYS),
});

/** Response of `POST /api/v1/s3-access/validator-outputs-list`. */
export const ValidatorOutputsListResponseSchema = z.object({
  success: z.literal(true),
  validator_hotkey: HotkeySchema,
  prefix: z.string(),
  list_url: z.string(),
  expiry_seconds: z.number().int(),
});

/** Response of `POST /api/v1/s3-access/validator-outputs-files`. */
export const ValidatorOutputsFilesResponseSchema = z.object({
  success: z.literal(true),
  validator_hotkey: HotkeySchema,
  file_urls: z.record(z.string(), z.object({ presigned_url: z.string() })),
  expiry_seconds: z.number().int(),
});
