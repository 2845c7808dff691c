/**
 * `/api/v1/zipcode-assignments/*`: the current assignment, past epochs for validators, miner status and
 * submission receipts, the sampling-seed reveal, validated counts, and the public stats.
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import { buildCommitment, statusCommitments } from "../../shared/commitment.ts";
import { epochById } from "../../shared/epoch.ts";
import { safeEqual } from "../../shared/epoch_secrets.ts";
import { minerManifestKey } from "../../shared/s3_keys.ts";
import { EpochIdSchema } from "../../shared/schemas/common.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Planner } from "../planner.ts";
import { signedAssignmentResponse, statsResponse } from "../responses.ts";
import { cachedPauseCheck } from "../stores/control.ts";
import type { EpochGate } from "../epoch_gate.ts";
import { recordValidatedCounts } from "../stores/calibration.ts";
import { recordStatus } from "../stores/receipts.ts";
import { epochReceipts } from "../outage_receipts.ts";
import { issueReceipt } from "./receipt.ts";
import type { RouteContext } from "./route_context.ts";

/** What the handlers read. */
interface Routes {
  deps: ApiDeps;
  planner: Planner;
  gate: EpochGate;
}

/** Registers the assignment routes on `app`. */
export function registerAssignmentRoutes(app: Hono, deps: ApiDeps, planner: Planner, gate: EpochGate): void {
  const r: Routes = { deps, planner, gate };
  app.get(ROUTES.current.path, currentHandler(r));
  app.get(ROUTES.stats.path, (c) => stats(r, c));
  app.post(ROUTES.status.path, (c) => status(r, c));
  app.get(ROUTES.epoch.path, (c) => epoch(r, c));
  app.get(ROUTES.submissions.path, (c) => submissions(r, c));
  app.get(ROUTES.seed.path, (c) => seed(r, c));
  app.post(ROUTES.validatedCounts.path, (c) => validatedCounts(r, c));
}

/** A started epoch's plan for `epochId`, or the matching error. */
async function startedPlan(r: Routes, epochId: string) {
  const { planner, deps: { clock } } = r;
  if (!EpochIdSchema.safeParse(epochId).success) {
    throw new ApiError(400, `Invalid epoch id "${epochId}": expected YYYY-MM-DDTHH-MM-SS`, "invalid_epoch");
  }
  let start: number;
  try {
    start = epochById(epochId, planner.epochOptions).start;
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError(400, error.message, "invalid_epoch");
    throw error;
  }
  if (start > clock.now().getTime()) {
    throw new ApiError(403, `Epoch ${epochId} has not started`, "future_epoch");
  }
  const plan = await planner.find(epochId);
  if (!plan) throw new ApiError(404, `Epoch ${epochId} not found`, "unknown_epoch");
  return plan;
}

/** `GET /current`: the running epoch's signed assignment (503 while paused). */
function currentHandler(r: Routes) {
  const { deps, planner } = r;
  const { clock, kv } = deps;
  const paused = cachedPauseCheck(kv, clock);
  // Plans never change, so each (epoch, status) body is serialised once for the hot /current route.
  const bodies = new Map<string, string>();
  return async (c: RouteContext<"current">) => {
    await authenticate(
      c,
      deps,
      ROUTES.current,
      (q) => [buildCommitment(ROUTES.current.auth.commitment, { timestamp: q.timestamp })],
    );
    if (await paused()) {
      throw new ApiError(503, "paused: the network is halted by the subnet owner", "paused");
    }
    const { plan } = await planner.current();
    const status = planner.status(plan, clock.now().getTime());
    const key = `${plan.epochId}/${status}`;
    let body = bodies.get(key);
    if (body === undefined) {
      if (bodies.size > 16) bodies.clear();
      bodies.set(key, body = JSON.stringify(signedAssignmentResponse(plan, status, deps.signer)));
    }
    return c.body(body, 200, { "Content-Type": "application/json" });
  };
}

/** `GET /stats`: the public stats of the running epoch. */
async function stats(r: Routes, c: RouteContext<"stats">) {
  const { deps, planner } = r;
  const { clock } = deps;
  const nowMs = clock.now().getTime();
  const { plan } = await planner.current();
  return c.json(await statsResponse(deps, planner, plan, nowMs));
}

/** `POST /status`: a miner's progress, and its receipt for a COMPLETED. */
async function status(r: Routes, c: RouteContext<"status">) {
  const { deps, gate } = r;
  const { clock, kv } = deps;
  const { input } = await authenticate(c, deps, ROUTES.status, (b) =>
    statusCommitments({
      hotkey: b.hotkey,
      epochId: b.epochId,
      timestamp: b.timestamp,
      status: b.status,
      manifestKey: b.manifestKey ?? minerManifestKey(b.hotkey, b.epochId),
      manifestSha256: b.manifestSha256,
    }));
  gate.require(input.epochId, input.status === "COMPLETED" ? "receipt" : "progress");
  const plan = await startedPlan(r, input.epochId);
  if (!safeEqual(input.nonce, plan.nonce)) throw new ApiError(400, "Invalid nonce for epoch", "bad_nonce");
  const receipt = input.status === "COMPLETED" ? await issueReceipt(deps, input) : undefined;
  const nowMs = clock.now().getTime();
  await recordStatus(kv, input, nowMs);
  return c.json({
    success: true,
    message: "Miner status updated successfully",
    epochId: input.epochId,
    status: input.status,
    timestamp: new Date(nowMs).toISOString(),
    ...(receipt ? { receipt } : {}),
  });
}

/** `GET /epoch/:epochId`: a started epoch's signed assignment, for validators. */
async function epoch(r: Routes, c: RouteContext<"epoch">) {
  const { deps, planner } = r;
  const { clock } = deps;
  const epochId = c.req.param("epochId");
  await authenticate(
    c,
    deps,
    ROUTES.epoch,
    (q) => [buildCommitment(ROUTES.epoch.auth.commitment, { epochId, timestamp: q.timestamp })],
  );
  const plan = await startedPlan(r, epochId);
  return c.json(signedAssignmentResponse(plan, planner.status(plan, clock.now().getTime()), deps.signer));
}

/** `GET /epoch/:epochId/submissions`: an epoch's receipts. */
async function submissions(r: Routes, c: RouteContext<"submissions">) {
  const { deps, gate } = r;
  const epochId = c.req.param("epochId");
  await authenticate(
    c,
    deps,
    ROUTES.submissions,
    (q) => [buildCommitment(ROUTES.submissions.auth.commitment, { epochId, timestamp: q.timestamp })],
  );
  const plan = await startedPlan(r, epochId);
  // With the receipts S3's write times earned while the API was down (issue 18).
  return c.json({
    success: true,
    epochId: plan.epochId,
    ...(await epochReceipts(deps, gate.epoch(epochId))),
  });
}

/** `GET /epoch/:epochId/seed`: the sampling seed, once the deadline has passed. */
async function seed(r: Routes, c: RouteContext<"seed">) {
  const { deps } = r;
  const { clock } = deps;
  const epochId = c.req.param("epochId");
  await authenticate(
    c,
    deps,
    ROUTES.seed,
    (q) => [buildCommitment(ROUTES.seed.auth.commitment, { epochId, timestamp: q.timestamp })],
  );
  const plan = await startedPlan(r, epochId);
  if (clock.now().getTime() < plan.deadlineMs) {
    throw new ApiError(
      403,
      `The sampling seed of ${epochId} is revealed after the deadline, ${
        new Date(plan.deadlineMs).toISOString()
      }`,
      "seed_not_revealed",
    );
  }
  return c.json({ success: true, epochId, seed: plan.samplingSeed, seedCommitment: plan.seedCommitment });
}

/** `POST /epoch/:epochId/validated-counts`: a validator's counts, which calibrate the expected listings. */
async function validatedCounts(r: Routes, c: RouteContext<"validatedCounts">) {
  const { deps, gate } = r;
  const { kv } = deps;
  const epochId = c.req.param("epochId");
  const { input } = await authenticate(
    c,
    deps,
    ROUTES.validatedCounts,
    (b) => [buildCommitment(ROUTES.validatedCounts.auth.commitment, { epochId, timestamp: b.timestamp })],
  );
  gate.require(epochId, "calibration");
  const plan = await startedPlan(r, epochId);
  const updated = await recordValidatedCounts(kv, plan, input.hotkey, input.counts, {
    maxStepPercent: deps.config.CALIBRATION_MAX_STEP_PERCENT,
  });
  return c.json({ success: true, epochId, expectedListings: updated });
}
