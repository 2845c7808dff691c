/**
 * S3 credentials. Miners get a presigned POST confined to their own prefix (starts-with condition, size
 * range, short expiry); validators get presigned list URLs (one fresh signature per page, so pagination
 * works on real S3), presigned GETs for up to 500 keys of one miner, and a presigned POST confined to their
 * own `validators/{hotkey}/epoch={epochId}/` prefix. Keys are parsed before anything is signed, so a
 * traversal or another hotkey's key is refused with 400.
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import { buildCommitment } from "../../shared/commitment.ts";
import {
  ALL_MINERS_PREFIX,
  MINER_LAYOUT,
  minerEpochPrefix,
  minerPrefix,
  parseObjectKey,
  validatorEpochPrefix,
} from "../../shared/s3_keys.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Planner } from "../planner.ts";

const MIB = 1024 * 1024;

/** Refuses (400) any key that does not parse as one of `hotkey`'s keys. */
function checkKeys(keys: readonly string[], hotkey: string): void {
  for (const key of keys) {
    try {
      parseObjectKey(key, { hotkey });
    } catch (error) {
      if (error instanceof SyntaxError) throw new ApiError(400, error.message, "bad_key");
      throw error;
    }
  }
}

/** Registers the S3 credential routes on `app`. */
export function registerS3AccessRoutes(app: Hono, deps: ApiDeps, planner: Planner): void {
  const { config, presigner, clock } = deps;
  const bucket = config.S3_BUCKET;
  const readSeconds = config.PRESIGN_READ_SECONDS;
  const expiresIso = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000).toISOString();

  app.post(ROUTES.folderAccess.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.folderAccess,
      (b) => [buildCommitment(ROUTES.folderAccess.auth.commitment, b)],
    );
    const folder = minerPrefix(input.hotkey);
    const post = await presigner.presignPost({
      bucket,
      keyPrefix: folder,
      minBytes: 1,
      maxBytes: config.MAX_UPLOAD_BYTES,
      expiresInSeconds: config.PRESIGN_POST_SECONDS,
    });
    const listUrl = await presigner.presignList({ bucket, prefix: folder, expiresInSeconds: readSeconds });
    return c.json({
      success: true,
      message: "Upload credentials issued",
      folder,
      url: post.url,
      uploadUrl: post.url,
      fields: post.fields,
      expiry: post.expiresAt.toISOString(),
      list_url: listUrl,
      structure_info: MINER_LAYOUT,
      metadata: {
        folderPath: folder,
        expiresAt: post.expiresAt.toISOString(),
        maxFileSize: `${Math.floor(config.MAX_UPLOAD_BYTES / MIB)}MB`,
      },
    });
  });

  app.post(ROUTES.validatorAccess.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.validatorAccess,
      (b) => [buildCommitment(ROUTES.validatorAccess.auth.commitment, { timestamp: b.timestamp })],
    );
    const [all, miners] = await Promise.all([
      presigner.presignList({ bucket, prefix: ALL_MINERS_PREFIX, expiresInSeconds: readSeconds }),
      presigner.presignList({
        bucket,
        prefix: ALL_MINERS_PREFIX,
        delimiter: "/",
        expiresInSeconds: readSeconds,
      }),
    ]);
    return c.json({
      bucket,
      region: config.S3_REGION,
      validator_hotkey: input.hotkey,
      expiry: expiresIso(readSeconds),
      expiry_seconds: readSeconds,
      urls: { global: { list_all_data: all }, miners: { list_all_miners: miners } },
      structure_info: MINER_LAYOUT,
    });
  });

  app.post(ROUTES.minerSpecificAccess.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.minerSpecificAccess,
      (
        b,
      ) => [
        buildCommitment(ROUTES.minerSpecificAccess.auth.commitment, {
          minerHotkey: b.miner_hotkey,
          timestamp: b.timestamp,
        }),
      ],
    );
    const prefix = minerPrefix(input.miner_hotkey);
    return c.json({
      bucket,
      region: config.S3_REGION,
      miner_hotkey: input.miner_hotkey,
      miner_url: await presigner.presignList({
        bucket,
        prefix,
        maxKeys: 1000,
        expiresInSeconds: readSeconds,
      }),
      prefix,
      expiry: expiresIso(readSeconds),
    });
  });

  app.post(ROUTES.minerList.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.minerList,
      (
        b,
      ) => [
        buildCommitment(ROUTES.minerList.auth.commitment, {
          minerHotkey: b.miner_hotkey,
          timestamp: b.timestamp,
        }),
      ],
    );
    const prefix = input.epoch_id
      ? minerEpochPrefix(input.miner_hotkey, input.epoch_id)
      : minerPrefix(input.miner_hotkey);
    const listUrl = await presigner.presignList({
      bucket,
      prefix,
      continuationToken: input.continuation_token,
      maxKeys: 1000,
      expiresInSeconds: readSeconds,
    });
    return c.json({
      success: true,
      miner_hotkey: input.miner_hotkey,
      prefix,
      list_url: listUrl,
      expiry_seconds: readSeconds,
    });
  });

  app.post(ROUTES.fileUrls.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.fileUrls,
      (
        b,
      ) => [
        buildCommitment(ROUTES.fileUrls.auth.commitment, {
          minerHotkey: b.miner_hotkey,
          timestamp: b.timestamp,
        }),
      ],
    );
    checkKeys(input.file_keys, input.miner_hotkey);
    const urls = await Promise.all(
      input.file_keys.map((key) => presigner.presignGet({ bucket, key, expiresInSeconds: readSeconds })),
    );
    return c.json({
      success: true,
      miner_hotkey: input.miner_hotkey,
      file_urls: Object.fromEntries(input.file_keys.map((key, i) => [key, { presigned_url: urls[i] }])),
      expiry_seconds: readSeconds,
    });
  });

  app.post(ROUTES.validatorOutputsList.path, async (c) => {
    const { input } = await authenticate(c, deps, ROUTES.validatorOutputsList, (b) => [
      buildCommitment(ROUTES.validatorOutputsList.auth.commitment, {
        validatorHotkey: b.validator_hotkey,
        timestamp: b.timestamp,
      }),
    ]);
    const prefix = validatorEpochPrefix(input.validator_hotkey, input.epoch_id);
    const listUrl = await presigner.presignList({
      bucket: config.S3_VALIDATOR_BUCKET,
      prefix,
      continuationToken: input.continuation_token,
      maxKeys: 1000,
      expiresInSeconds: readSeconds,
    });
    return c.json({
      success: true,
      validator_hotkey: input.validator_hotkey,
      prefix,
      list_url: listUrl,
      expiry_seconds: readSeconds,
    });
  });

  app.post(ROUTES.validatorOutputsFiles.path, async (c) => {
    const { input } = await authenticate(c, deps, ROUTES.validatorOutputsFiles, (b) => [
      buildCommitment(ROUTES.validatorOutputsFiles.auth.commitment, {
        validatorHotkey: b.validator_hotkey,
        timestamp: b.timestamp,
      }),
    ]);
    checkKeys(input.file_keys, input.validator_hotkey);
    const urls = await Promise.all(
      input.file_keys.map((key) =>
        presigner.presignGet({ bucket: config.S3_VALIDATOR_BUCKET, key, expiresInSeconds: readSeconds })
      ),
    );
    return c.json({
      success: true,
      validator_hotkey: input.validator_hotkey,
      file_urls: Object.fromEntries(input.file_keys.map((key, i) => [key, { presigned_url: urls[i] }])),
      expiry_seconds: readSeconds,
    });
  });

  app.post(ROUTES.validatorUpload.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.validatorUpload,
      (b) => [buildCommitment(ROUTES.validatorUpload.auth.commitment, { timestamp: b.timestamp })],
    );
    const plan = await planner.find(input.epochId);
    if (!plan || plan.startMs > clock.now().getTime()) {
      throw new ApiError(404, `Epoch ${input.epochId} not found`, "unknown_epoch");
    }
    const folder = validatorEpochPrefix(input.hotkey, input.epochId);
    const post = await presigner.presignPost({
      bucket: config.S3_VALIDATOR_BUCKET,
      keyPrefix: folder,
      minBytes: 1,
      maxBytes: config.VALIDATOR_MAX_UPLOAD_BYTES,
      expiresInSeconds: config.PRESIGN_POST_SECONDS,
    });
    return c.json({
      success: true,
      message: "Validator upload credentials issued",
      url: post.url,
      uploadUrl: post.url,
      folder,
      fields: post.fields,
      metadata: {
        folderPath: folder,
        expiresAt: post.expiresAt.toISOString(),
        maxFileSize: `${Math.floor(config.VALIDATOR_MAX_UPLOAD_BYTES / MIB)}MB`,
        supportedFormats: ["parquet", "json"],
      },
    });
  });
}
