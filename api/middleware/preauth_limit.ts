/**
 * A cheap per-IP limiter that runs before any parsing or signature check, so a flood of junk costs the
 * attacker's IP its budget without burning the CPU on sr25519 verification. It never keys on a hotkey, so
 * it cannot lock a miner out of its own quota.
 *
 * The client address is the connection's (Deno.serve's `remoteAddr`) unless `TRUSTED_PROXY_DEPTH` = d > 0:
 * then it is the d-th address from the right of `X-Forwarded-For`, the one the outermost trusted proxy saw
 * (each proxy appends the address it received from). Entries left of it are client-written and ignored,
 * so a forged header cannot pick another client's bucket. With fewer than d entries the request did not
 * come through the proxies: it falls back to the socket address.
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
    const ip = clientAddress(
      (c.env as ServeInfo | undefined)?.remoteAddr?.hostname ?? "local",
      c.req.header("X-Forwarded-For"),
      deps.config.TRUSTED_PROXY_DEPTH,
    );
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

/** The address the limiter keys on: the socket's, or the one `depth` trusted proxies vouch for. */
export function clientAddress(socket: string, forwardedFor: string | undefined, depth: number): string {
  if (depth === 0 || !forwardedFor) return socket;
  const hops = forwardedFor.split(",").map((h) => h.trim()).filter((h) => h !== "");
  if (hops.length < depth) return socket;
  return hops[hops.length - depth].slice(0, 64);
}
