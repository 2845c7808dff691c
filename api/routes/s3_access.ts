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
 * The uploads are here; the validators' reads are in `s3_reads.ts`, registered in between (route order kept).
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import { buildCommitment } from "../../shared/commitment.ts";
import { MINER_LAYOUT, minerEpochPrefix, validatorEpochPrefix, validatorKey } from "../../shared/s3_keys.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import type { EpochGate, OpenWindow } from "../epoch_gate.ts";
import { ApiError } from "../errors.ts";
import type { Planner } from "../planner.ts";
import type { RouteContext } from "./route_context.ts";
import { registerS3ReadRoutes } from "./s3_reads.ts";

const MIB = 1024 * 1024;
const EVIDENCE_FOLDER = "evidence/";

/** What the handlers read. */
interface Routes {
  deps: ApiDeps;
  planner: Planner;
  gate: EpochGate;
}

/** Registers the S3 credential routes on `app`. */
export function registerS3AccessRoutes(app: Hono, deps: ApiDeps, planner: Planner, gate: EpochGate): void {
  const r: Routes = { deps, planner, gate };
  app.post(ROUTES.folderAccess.path, (c) => folderAccessRoute(r, c));
  registerS3ReadRoutes(app, deps, gate);
  app.post(ROUTES.validatorUpload.path, (c) => validatorUploadRoute(r, c));
}

/** A miner's presigned POST into its folder of the running epoch, until the submission deadline. */
async function folderAccessRoute(r: Routes, c: RouteContext<"folderAccess">) {
  const { deps, gate } = r;
  const { config, presigner } = deps;
  const bucket = deps.config.S3_BUCKET;
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
}

/** A validator's presigned POST for its epoch folder, or for one named output in it. */
async function validatorUploadRoute(r: Routes, c: RouteContext<"validatorUpload">) {
  const { deps, gate, planner } = r;
  const { config, presigner } = deps;
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
