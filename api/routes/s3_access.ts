/**
 * S3 credentials, each naming its epoch and issued only inside that epoch's window (`api/epoch_gate.ts`):
 *
 * - miners get a presigned POST confined to `data/hotkey={hotkey}/epoch={running epoch}/`, expiring no
 *   later than the submission deadline, and nothing after it;
 * - validators read a miner's files of epoch N (list and GET, every key's epoch checked) only from N's
 *   deadline to the end of N's validation window; the cross-epoch listings show folder names only;
 * - validators get upload credentials for the epoch under judgement during its validation window:
 *   evidence until the evidence deadline, the other outputs until the window closes.
 *
 * Keys are parsed before anything is signed, so a traversal or another hotkey's key is refused with 400.
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
  type ObjectKey,
  parseObjectKey,
  validatorEpochPrefix,
  validatorKey,
} from "../../shared/s3_keys.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import type { EpochGate, OpenWindow } from "../epoch_gate.ts";
import { ApiError } from "../errors.ts";
import type { Planner } from "../planner.ts";

const MIB = 1024 * 1024;
const EVIDENCE_FOLDER = "evidence/";

/** Refuses (400) any key that does not parse as one of `hotkey`'s keys; returns the parsed keys. */
function checkKeys(keys: readonly string[], hotkey: string): ObjectKey[] {
  return keys.map((key) => {
    try {
      return parseObjectKey(key, { hotkey });
    } catch (error) {
      if (error instanceof SyntaxError) throw new ApiError(400, error.message, "bad_key");
      throw error;
    }
  });
}

/**
 * Refuses (403) unless every epoch the keys name is open for validator reads; returns the shortest
 * lifetime left, so no URL outlives its epoch's read window.
 */
function readableSeconds(gate: EpochGate, keys: readonly ObjectKey[], maxSeconds: number): number {
  let seconds = maxSeconds;
  for (const epochId of new Set(keys.map((k) => k.epochId))) {
    seconds = Math.min(seconds, gate.require(epochId, "validatorRead").seconds(maxSeconds));
  }
  if (seconds < 1) throw new ApiError(403, "The read window closes in under a second", "window_closed");
  return seconds;
}

/** Registers the S3 credential routes on `app`. */
export function registerS3AccessRoutes(app: Hono, deps: ApiDeps, planner: Planner, gate: EpochGate): void {
  const { config, presigner, clock } = deps;
  const bucket = config.S3_BUCKET;
  const readSeconds = config.PRESIGN_READ_SECONDS;
  const expiresIso = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000).toISOString();
  // Folder names only: across epochs a listing would show the running epoch's files.
  const foldersOnly = (prefix: string, continuationToken?: string) =>
    presigner.presignList({
      bucket,
      prefix,
      delimiter: "/",
      continuationToken,
      expiresInSeconds: readSeconds,
    });

  app.post(ROUTES.folderAccess.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.folderAccess,
      (b) => [buildCommitment(ROUTES.folderAccess.auth.commitment, b)],
    );
    const open = gate.require(gate.current(), "minerUpload");
    const seconds = open.seconds(config.PRESIGN_POST_SECONDS);
    if (seconds < 1) {
      throw new ApiError(403, "The submission deadline is under a second away", "window_closed");
    }
    const folder = minerEpochPrefix(input.hotkey, open.epoch.id);
    const post = await presigner.presignPost({
      bucket,
      keyPrefix: folder,
      minBytes: 1,
      maxBytes: config.MAX_UPLOAD_BYTES,
      expiresInSeconds: seconds,
    });
    const listUrl = await presigner.presignList({ bucket, prefix: folder, expiresInSeconds: seconds });
    return c.json({
      success: true,
      message: "Upload credentials issued",
      epoch_id: open.epoch.id,
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
    // Both URLs list miner folders only; files are read per epoch through miner-list and file-urls.
    const [all, miners] = await Promise.all([foldersOnly(ALL_MINERS_PREFIX), foldersOnly(ALL_MINERS_PREFIX)]);
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
      miner_url: await foldersOnly(prefix),
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
    if (!input.epoch_id) {
      // Without an epoch: the miner's epoch folders, not their files.
      const prefix = minerPrefix(input.miner_hotkey);
      return c.json({
        success: true,
        miner_hotkey: input.miner_hotkey,
        prefix,
        list_url: await foldersOnly(prefix, input.continuation_token),
        expiry_seconds: readSeconds,
      });
    }
    const seconds = gate.require(input.epoch_id, "validatorRead").seconds(readSeconds);
    if (seconds < 1) throw new ApiError(403, "The read window closes in under a second", "window_closed");
    const prefix = minerEpochPrefix(input.miner_hotkey, input.epoch_id);
    const listUrl = await presigner.presignList({
      bucket,
      prefix,
      continuationToken: input.continuation_token,
      maxKeys: 1000,
      expiresInSeconds: seconds,
    });
    return c.json({
      success: true,
      miner_hotkey: input.miner_hotkey,
      prefix,
      list_url: listUrl,
      expiry_seconds: seconds,
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
    const parsed = checkKeys(input.file_keys, input.miner_hotkey);
    if (parsed.some((k) => k.kind === "validatorFile")) {
      throw new ApiError(400, "file-urls serves miner keys; use validator-outputs-files", "bad_key");
    }
    const seconds = readableSeconds(gate, parsed, readSeconds);
    const urls = await Promise.all(
      input.file_keys.map((key) => presigner.presignGet({ bucket, key, expiresInSeconds: seconds })),
    );
    return c.json({
      success: true,
      miner_hotkey: input.miner_hotkey,
      file_urls: Object.fromEntries(input.file_keys.map((key, i) => [key, { presigned_url: urls[i] }])),
      expiry_seconds: seconds,
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
    const grant = validatorGrant(gate, input.hotkey, input.epochId, input.file);
    const seconds = grant.open.seconds(config.PRESIGN_POST_SECONDS);
    if (seconds < 1) throw new ApiError(403, "The upload window closes in under a second", "window_closed");
    if (!(await planner.find(input.epochId))) {
      throw new ApiError(404, `Epoch ${input.epochId} not found`, "unknown_epoch");
    }
    const folder = validatorEpochPrefix(input.hotkey, input.epochId);
    const post = await presigner.presignPost({
      bucket: config.S3_VALIDATOR_BUCKET,
      keyPrefix: grant.key ?? folder,
      exactKey: grant.key !== undefined,
      minBytes: 1,
      maxBytes: config.VALIDATOR_MAX_UPLOAD_BYTES,
      expiresInSeconds: seconds,
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

/**
 * What a validator may upload now for `epochId`: one named output (evidence until the evidence deadline,
 * the others until the window closes), or, without a name, its whole folder until the evidence deadline
 * (a prefix policy cannot exclude `evidence/`, so after that deadline each file must be named).
 */
function validatorGrant(
  gate: EpochGate,
  hotkey: string,
  epochId: string,
  file: string | undefined,
): { open: OpenWindow; key?: string } {
  if (file === undefined) {
    const epoch = gate.epoch(epochId);
    try {
      return { open: gate.require(epoch, "validatorEvidence") };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "window_closed") throw error;
      gate.require(epoch, "validatorReport"); // 403 when the whole window is over
      throw new ApiError(
        403,
        `${error.message}; name the output (field "file") to upload the report`,
        "window_closed",
      );
    }
  }
  let key: string;
  try {
    key = validatorKey(hotkey, epochId, file);
  } catch (error) {
    if (error instanceof RangeError || error instanceof SyntaxError) {
      throw new ApiError(400, error.message, "bad_key");
    }
    throw error;
  }
  const action = file.startsWith(EVIDENCE_FOLDER) ? "validatorEvidence" : "validatorReport";
  return { open: gate.require(epochId, action), key };
}
