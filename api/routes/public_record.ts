/**
 * The public record: once epoch N's validation window has closed (the end of `validatorRead`,
 * `shared/epoch_windows.ts`), N's miners' files and every validator's outputs for N are readable by
 * anyone, so anyone can re-derive every verdict (`deno task verify --api`, issue 17). Before that moment
 * every route answers 403 naming it: the files of an epoch still being judged stay validator-only, and no
 * later epoch's files are reachable (every key is parsed and must name this epoch). Presigned GETs only;
 * nothing is ever written here.
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import type { Epoch } from "../../shared/epoch.ts";
import { actionWindow } from "../../shared/epoch_windows.ts";
import {
  minerEpochPrefix,
  OUTPUT_FILES,
  parseObjectKey,
  VALIDATOR_ROOT,
  validatorEpochPrefix,
  validatorKey,
  validatorPrefix,
} from "../../shared/s3_keys.ts";
import { PublicFilesRequestSchema, PublicMinerListQuerySchema } from "../../shared/schemas/public_record.ts";
import type { ApiDeps } from "../deps.ts";
import type { EpochGate } from "../epoch_gate.ts";
import { ApiError } from "../errors.ts";
import type { RouteContext } from "./route_context.ts";

/** Registers the public record routes on `app`. */
export function registerPublicRecordRoutes(app: Hono, deps: ApiDeps, gate: EpochGate): void {
  app.get(ROUTES.publicRecord.path, (c) => validatorOutputs(deps, gate, c));
  app.get(ROUTES.publicRecordMinerList.path, (c) => minerList(deps, gate, c));
  app.post(ROUTES.publicRecordFiles.path, (c) => minerFiles(deps, gate, c));
}

/** The epoch, when its validation window has closed; 403 naming the moment otherwise. */
function closedEpoch(deps: ApiDeps, gate: EpochGate, epochId: string): Epoch {
  const epoch = gate.epoch(epochId);
  const windowOptions = { evidenceLeadSeconds: deps.config.EVIDENCE_LEAD_SECONDS };
  const opens = actionWindow(epoch, "validatorRead", windowOptions).until;
  if (deps.clock.now().getTime() < opens) {
    throw new ApiError(
      403,
      `The public record of epoch ${epoch.id} opens at ${new Date(opens).toISOString()}`,
      "window_not_yet_open",
    );
  }
  return epoch;
}

function parseHotkey(hotkey: string): string {
  try {
    validatorPrefix(hotkey);
    return hotkey;
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError(400, error.message, "bad_hotkey");
    throw error;
  }
}

/** Every validator's output files of the epoch, as presigned GETs. */
async function validatorOutputs(deps: ApiDeps, gate: EpochGate, c: RouteContext<"publicRecord">) {
  const { config, presigner, objectReader } = deps;
  const seconds = config.PRESIGN_READ_SECONDS;
  const epoch = closedEpoch(deps, gate, c.req.param("epochId"));
  const validators: Record<string, Record<string, string>> = {};
  for (const folder of await objectReader.listFolders(config.S3_VALIDATOR_BUCKET, VALIDATOR_ROOT)) {
    const hotkey = folder.slice(VALIDATOR_ROOT.length, -1);
    let prefix: string;
    try {
      prefix = validatorEpochPrefix(hotkey, epoch.id);
    } catch (error) {
      if (error instanceof RangeError) continue; // not a validator's folder
      throw error;
    }
    const epochs = await objectReader.listFolders(config.S3_VALIDATOR_BUCKET, validatorPrefix(hotkey));
    if (!epochs.includes(prefix)) continue;
    const names = Object.values(OUTPUT_FILES);
    const urls = await Promise.all(names.map((name) =>
      presigner.presignGet({
        bucket: config.S3_VALIDATOR_BUCKET,
        key: validatorKey(hotkey, epoch.id, name),
        expiresInSeconds: seconds,
      })
    ));
    validators[hotkey] = Object.fromEntries(names.map((name, i) => [name, urls[i]]));
  }
  return c.json({ success: true, epoch_id: epoch.id, validators, expiry_seconds: seconds });
}

/** A presigned LIST of one miner's folder of the epoch. */
async function minerList(deps: ApiDeps, gate: EpochGate, c: RouteContext<"publicRecordMinerList">) {
  const seconds = deps.config.PRESIGN_READ_SECONDS;
  const epoch = closedEpoch(deps, gate, c.req.param("epochId"));
  const hotkey = parseHotkey(c.req.param("hotkey"));
  const query = PublicMinerListQuerySchema.safeParse(c.req.query());
  if (!query.success) throw new ApiError(400, query.error.issues[0]?.message ?? "bad query", "bad_request");
  const prefix = minerEpochPrefix(hotkey, epoch.id);
  const listUrl = await deps.presigner.presignList({
    bucket: deps.config.S3_BUCKET,
    prefix,
    continuationToken: query.data.continuation_token,
    maxKeys: 1000,
    expiresInSeconds: seconds,
  });
  return c.json({
    success: true,
    miner_hotkey: hotkey,
    prefix,
    list_url: listUrl,
    expiry_seconds: seconds,
  });
}

/** Presigned GETs of named miner files of the epoch; every key must name this epoch's miner file. */
async function minerFiles(deps: ApiDeps, gate: EpochGate, c: RouteContext<"publicRecordFiles">) {
  const seconds = deps.config.PRESIGN_READ_SECONDS;
  const epoch = closedEpoch(deps, gate, c.req.param("epochId"));
  const body = PublicFilesRequestSchema.safeParse(await c.req.json().catch(() => null));
  if (!body.success) throw new ApiError(400, body.error.issues[0]?.message ?? "bad body", "bad_request");
  const { miner_hotkey: hotkey, file_keys: keys } = body.data;
  for (const key of keys) {
    let parsed;
    try {
      parsed = parseObjectKey(key, { hotkey });
    } catch (error) {
      if (error instanceof SyntaxError) throw new ApiError(400, error.message, "bad_key");
      throw error;
    }
    if (parsed.kind === "validatorFile" || parsed.epochId !== epoch.id) {
      throw new ApiError(400, `${key} is not a miner file of epoch ${epoch.id}`, "bad_key");
    }
  }
  const urls = await Promise.all(
    keys.map((key) =>
      deps.presigner.presignGet({ bucket: deps.config.S3_BUCKET, key, expiresInSeconds: seconds })
    ),
  );
  return c.json({
    success: true,
    miner_hotkey: hotkey,
    file_urls: Object.fromEntries(keys.map((key, i) => [key, { presigned_url: urls[i] }])),
    expiry_seconds: seconds,
  });
}
