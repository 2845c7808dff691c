/**
 * A cheap per-IP limiter that runs before any parsing or signature check, so a flood of junk costs the
 * attacker's IP its budget without burning the CPU on sr25519 verification. It keys on the connection's
 * address (Deno.serve's `remoteAddr`), never on a header a client could forge, and never on a hotkey, so it
 * cannot lock a miner out of its own quota.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { ApiDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

/** The connection info Deno.serve passes as the handler's second argument (Hono's `c.env`). */
interface ServeInfo {
  remoteAddr?: { hostname?: string };
}

/** The pre-authentication limiter. */
export function preauthLimit(deps: ApiDeps): MiddlewareHandler {
  const limit = deps.config.PREAUTH_RATE_LIMIT_PER_MINUTE;
  const refused = deps.metrics.counter(
    "zipmine_api_preauth_refused_total",
    "Requests refused by the per-IP limiter",
  );
  let windowStart = 0;
  let counts = new Map<string, number>();
  return async function preauthLimitRequest(c, next) {
    const nowMs = deps.clock.now().getTime();
    const start = nowMs - (nowMs % WINDOW_MS);
    if (start !== windowStart || counts.size > MAX_TRACKED) {
      windowStart = start;
      counts = new Map();
    }
    const ip = (c.env as ServeInfo | undefined)?.remoteAddr?.hostname ?? "local";
    const used = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, used);
    if (used > limit) {
      refused.inc();
      throw new ApiError(429, "Too Many Requests from this address", "preauth_limited", {
        "Retry-After": String(Math.ceil((windowStart + WINDOW_MS - nowMs) / 1000)),
      });
    }
    await next();
  };
}
