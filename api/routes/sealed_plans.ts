/**
 * `GET /api/v1/sealed-plans`: the sealed plans of the previous, running and upcoming epochs. Public: every
 * secret in them is timelocked to a drand round, and the envelope is signed. The body changes at most once a
 * minute (the publisher's cron), so it is served from a short in-memory cache.
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import type { SealedPlanPublisher } from "../sealed_plans.ts";
import type { Clock } from "../../shared/ports.ts";

const CACHE_MS = 30_000;

/** Registers the sealed-plan route on `app`. */
export function registerSealedPlanRoutes(app: Hono, sealed: SealedPlanPublisher, clock: Clock): void {
  let cached = { atMs: -Infinity, body: "" };
  app.get(ROUTES.sealedPlans.path, async (c) => {
    if (clock.now().getTime() - cached.atMs > CACHE_MS) {
      cached = {
        atMs: clock.now().getTime(),
        body: JSON.stringify({ success: true, plans: await sealed.published() }),
      };
    }
    return c.body(cached.body, 200, { "Content-Type": "application/json" });
  });
}
