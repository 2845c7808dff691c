/**
 * The validators' read credentials on the miner bucket and on each other's outputs: folder-name listings
 * across epochs, and a miner's files of epoch N (list and GET, every key's epoch checked) only from N's
 * deadline to the end of N's validation window. Registered by `s3_access.ts`, which states the rules.
 * @module
 */
import type { Context, Hono } from "hono";
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
} from "../../shared/s3_keys.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import type { EpochGate } from "../epoch_gate.ts";
import { ApiError } from "../errors.ts";
import type { RouteContext } from "./route_context.ts";

/** What the handlers read. */
interface Routes {
  deps: ApiDeps;
  gate: EpochGate;
}

/** Registers the validators' read routes on `app`. */
export function registerS3ReadRoutes(app: Hono, deps: ApiDeps, gate: EpochGate): void {
  const r: Routes = { deps, gate };
  app.post(ROUTES.validatorAccess.path, (c) => validatorAccessRoute(r, c));
  app.post(ROUTES.minerSpecificAccess.path, (c) => minerSpecificAccessRoute(r, c));
  app.post(ROUTES.minerList.path, (c) => minerListRoute(r, c));
  app.post(ROUTES.fileUrls.path, (c) => fileUrlsRoute(r, c));
  app.post(ROUTES.validatorOutputsList.path, (c) => validatorOutputsListRoute(r, c));
  app.post(ROUTES.validatorOutputsFiles.path, (c) => validatorOutputsFilesRoute(r, c));
}

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

/** When a credential issued now for `seconds` expires. */
function expiresIso(deps: ApiDeps, seconds: number): string {
  return new Date(deps.clock.now().getTime() + seconds * 1000).toISOString();
}

/** A presigned listing of folder names only: across epochs a listing would show the running epoch's files. */
function foldersOnly(deps: ApiDeps, prefix: string, continuationToken?: string): Promise<string> {
  return deps.presigner.presignList({
    bucket: deps.config.S3_BUCKET,
    prefix,
    delimiter: "/",
    continuationToken,
    expiresInSeconds: deps.config.PRESIGN_READ_SECONDS,
  });
}

/** Listings of the miner folders (folder names only), for validators. */
async function validatorAccessRoute(r: Routes, c: RouteContext<"validatorAccess">) {
  const { deps } = r;
  const { config } = deps;
  const bucket = deps.config.S3_BUCKET;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
  const { input } = await authenticate(
    c,
    deps,
    ROUTES.validatorAccess,
    (b) => [buildCommitment(ROUTES.validatorAccess.auth.commitment, { timestamp: b.timestamp })],
  );
  // Both URLs list miner folders only; files are read per epoch through miner-list and file-urls.
  const [all, miners] = await Promise.all([
    foldersOnly(deps, ALL_MINERS_PREFIX),
    foldersOnly(deps, ALL_MINERS_PREFIX),
  ]);
  return c.json({
    bucket,
    region: config.S3_REGION,
    validator_hotkey: input.hotkey,
    expiry: expiresIso(deps, readSeconds),
    expiry_seconds: readSeconds,
    urls: { global: { list_all_data: all }, miners: { list_all_miners: miners } },
    structure_info: MINER_LAYOUT,
  });
}

/** A listing of one miner's epoch folders (folder names only). */
async function minerSpecificAccessRoute(r: Routes, c: RouteContext<"minerSpecificAccess">) {
  const { deps } = r;
  const { config } = deps;
  const bucket = deps.config.S3_BUCKET;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
  const { input } = await authenticateAboutMiner(c, deps, ROUTES.minerSpecificAccess);
  const prefix = minerPrefix(input.miner_hotkey);
  return c.json({
    bucket,
    region: config.S3_REGION,
    miner_hotkey: input.miner_hotkey,
    miner_url: await foldersOnly(deps, prefix),
    prefix,
    expiry: expiresIso(deps, readSeconds),
  });
}

/** One miner's epoch folders, or with an epoch its files while that epoch is open for reads. */
async function minerListRoute(r: Routes, c: RouteContext<"minerList">) {
  const { deps, gate } = r;
  const { presigner } = deps;
  const bucket = deps.config.S3_BUCKET;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
  const { input } = await authenticateAboutMiner(c, deps, ROUTES.minerList);
  if (!input.epoch_id) {
    // Without an epoch: the miner's epoch folders, not their files.
    const prefix = minerPrefix(input.miner_hotkey);
    return c.json({
      success: true,
      miner_hotkey: input.miner_hotkey,
      prefix,
      list_url: await foldersOnly(deps, prefix, input.continuation_token),
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
}

/** Presigned GETs of a miner's files, each key checked to be its own and readable now. */
async function fileUrlsRoute(r: Routes, c: RouteContext<"fileUrls">) {
  const { deps, gate } = r;
  const { presigner } = deps;
  const bucket = deps.config.S3_BUCKET;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
  const { input } = await authenticateAboutMiner(c, deps, ROUTES.fileUrls);
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
}

/** A listing of another validator's folder of one epoch. */
async function validatorOutputsListRoute(r: Routes, c: RouteContext<"validatorOutputsList">) {
  const { deps } = r;
  const { config, presigner } = deps;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
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
}

/** Presigned GETs of another validator's published files. */
async function validatorOutputsFilesRoute(r: Routes, c: RouteContext<"validatorOutputsFiles">) {
  const { deps } = r;
  const { config, presigner } = deps;
  const readSeconds = deps.config.PRESIGN_READ_SECONDS;
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
}

/** The three routes a validator signs over one miner's hotkey: `{minerHotkey}:{timestamp}`. */
type AboutMinerRoute = typeof ROUTES.minerSpecificAccess | typeof ROUTES.minerList | typeof ROUTES.fileUrls;

function authenticateAboutMiner<R extends AboutMinerRoute>(c: Context, deps: ApiDeps, route: R) {
  return authenticate(c, deps, route, (b) => [
    buildCommitment(route.auth.commitment, { minerHotkey: b.miner_hotkey, timestamp: b.timestamp }),
  ]);
}
