/**
 * The API as a Hono app built from its dependencies: middleware (observability, per-IP pre-auth limit,
 * body size limit), the routes of the route table, and one error handler that maps `ApiError` to its
 * status and the two-family error body while hiding everything else behind a bare 500.
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiDeps } from "./deps.ts";
import { createEpochGate } from "./epoch_gate.ts";
import { ApiError, errorBody } from "./errors.ts";
import { observe } from "./middleware/observe.ts";
import { preauthLimit } from "./middleware/preauth_limit.ts";
import { createPlanner, type Planner } from "./planner.ts";
import { registerAssignmentRoutes } from "./routes/assignments.ts";
import { registerDashboardRoutes } from "./routes/dashboard.ts";
import { registerPublicRecordRoutes } from "./routes/public_record.ts";
import { registerS3AccessRoutes } from "./routes/s3_access.ts";
import { registerSealedPlanRoutes } from "./routes/sealed_plans.ts";
import { registerSystemRoutes } from "./routes/system.ts";
import { registerUploadPoliciesAhead } from "./routes/upload_policies_ahead.ts";
import { createSealedPlanPublisher, type SealedPlanPublisher } from "./sealed_plans.ts";

/** Builds the app; planner and sealed-plan publisher are returned so the composition root drives them. */
export function createApp(deps: ApiDeps): { app: Hono; planner: Planner; sealed: SealedPlanPublisher } {
  const app = new Hono();
  const planner = createPlanner(deps);
  const gate = createEpochGate(deps);
  const sealed = createSealedPlanPublisher(deps, planner);

  app.use(observe(deps));
  app.use(preauthLimit(deps));
  app.use(bodyLimit({
    maxSize: deps.config.MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(
        413,
        `Request body larger than ${deps.config.MAX_BODY_BYTES} bytes`,
        "body_too_large",
      );
    },
  }));

  registerAssignmentRoutes(app, deps, planner, gate);
  registerS3AccessRoutes(app, deps, planner, gate);
  registerPublicRecordRoutes(app, deps, gate);
  registerUploadPoliciesAhead(app, deps, gate);
  registerSystemRoutes(app, deps, planner);
  registerDashboardRoutes(app, deps, planner);
  registerSealedPlanRoutes(app, sealed, deps.clock);

  app.notFound((c) => c.json(errorBody(404, `No route ${c.req.method} ${new URL(c.req.url).pathname}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(errorBody(error.status, error.message), error.status);
    }
    deps.log.error("unhandled error", {
      error,
      path: new URL(c.req.url).pathname,
      requestId: c.res.headers.get("X-Request-Id"),
    });
    return c.json(errorBody(500, "Internal server error"), 500);
  });
  return { app, planner, sealed };
}
