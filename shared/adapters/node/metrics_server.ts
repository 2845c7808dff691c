/**
 * The Prometheus `/metrics` endpoint of a long-running process (miner, validator), on loopback.
 * @module
 */
import type { Logger } from "../../log.ts";
import type { Registry } from "../../metrics.ts";

/** Serves `registry` at `http://127.0.0.1:{port}/metrics`; null when `port` is 0 (off). */
export function serveMetrics(registry: Registry, port: number, log: Logger): Deno.HttpServer | null {
  if (port === 0) return null;
  return Deno.serve(
    {
      port,
      hostname: "127.0.0.1",
      onListen: ({ port }) => log.info("metrics listening", { url: `http://127.0.0.1:${port}/metrics` }),
    },
    (request) =>
      new URL(request.url).pathname === "/metrics"
        ? new Response(registry.render(), { headers: { "Content-Type": "text/plain; version=0.0.4" } })
        : new Response("not found", { status: 404 }),
  );
}
