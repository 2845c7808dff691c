/**
 * Per-request observability: a request id (echoed as `X-Request-Id`), latency and status metrics by route
 * pattern, and one structured log line per failed request (successes at debug level, so a busy API does
 * not drown its logs). Query strings are never logged: GET routes carry signatures there.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { ApiDeps } from "../deps.ts";

// Labels come from bounded sets: an invented method or status must not mint a new series.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]);
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The observing middleware. */
export function observe(deps: ApiDeps): MiddlewareHandler {
  const requests = deps.metrics.counter("zipmine_api_requests_total", "HTTP requests by route and status");
  const latency = deps.metrics.histogram(
    "zipmine_api_request_seconds",
    "HTTP latency by route",
    LATENCY_BUCKETS,
  );
  const debug = deps.config.LOG_LEVEL === "debug";
  let sequence = 0;
  return async function observeRequest(c, next) {
    const started = performance.now();
    const requestId = `${deps.startedAtMs.toString(36)}-${(sequence++).toString(36)}`;
    c.header("X-Request-Id", requestId);
    await next();
    const route = c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status >= 100 && c.res.status < 600 ? String(c.res.status) : "other";
    const method = METHODS.has(c.req.method) ? c.req.method : "other";
    requests.inc({ route, method, status });
    latency.observe(seconds, { route });
    if (c.res.status < 400 && !debug) return;
    const fields = {
      requestId,
      method,
      route,
      path: new URL(c.req.url).pathname,
      status,
      ms: seconds * 1000,
    };
    if (c.res.status >= 500) deps.log.error("request failed", fields);
    else if (c.res.status >= 400) deps.log.info("request refused", fields);
    else deps.log.debug("request", fields);
  };
}
