/**
 * Health, metrics and documentation: `/healthcheck` (and `/health`), `/metrics` (Prometheus),
 * `/openapi.json`, `/docs` (a self-contained HTML page; no CDN, the machines are offline) and
 * `/commitment-formats` (every signed message template).
 * @module
 */
import type { Context, Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import { commitmentTemplates } from "../../shared/commitment.ts";
import { epochAt, epochByIndex } from "../../shared/epoch.ts";
import type { ApiDeps } from "../deps.ts";
import { buildOpenApi } from "../openapi.ts";
import type { Planner } from "../planner.ts";
import { isPaused } from "../stores/control.ts";

const S3_CHECK_TTL_MS = 30_000;

/** Registers the system routes on `app`. */
export function registerSystemRoutes(app: Hono, deps: ApiDeps, planner: Planner): void {
  const { clock, config, kv, metagraph, metrics } = deps;
  const metagraphAge = metrics.gauge(
    "zipmine_api_metagraph_age_seconds",
    "Seconds since the metagraph last loaded",
  );
  const nextPlanned = metrics.gauge("zipmine_api_next_epoch_planned", "1 when the next epoch's plan exists");
  const untilNext = metrics.gauge("zipmine_api_seconds_until_next_epoch", "Seconds to the next epoch");
  const currentMissed = metrics.gauge(
    "zipmine_api_current_epoch_target_missed",
    "1 when the running epoch's plan misses the target band",
  );
  const openapi = buildOpenApi(deps.version);
  let s3Check = { atMs: -Infinity, ok: false };

  async function health(c: Context) {
    const nowMs = clock.now().getTime();
    let database: "connected" | "error" = "connected";
    let paused = false;
    try {
      paused = await isPaused(kv);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      database = "error";
    }
    const age = metagraph.ageMs(nowMs);
    const stale = age === null || age > config.METAGRAPH_MAX_AGE_SECONDS * 1000;
    const current = epochAt(nowMs, planner.epochOptions);
    const next = epochByIndex(current.index + 1, planner.epochOptions);
    const currentPlan = database === "connected" ? await planner.find(current.id) : null;
    const nextPlan = database === "connected" ? await planner.find(next.id) : null;
    if (nowMs - s3Check.atMs > S3_CHECK_TTL_MS) {
      s3Check = { atMs: nowMs, ok: (await deps.presigner.checkBucket(config.S3_BUCKET)).ok };
    }
    const unhealthy = database === "error" || stale;
    const status = unhealthy ? "unhealthy" : !s3Check.ok || !currentPlan ? "degraded" : "ok";
    return c.json({
      status,
      timestamp: new Date(nowMs).toISOString(),
      uptime: (nowMs - deps.startedAtMs) / 1000,
      database,
      version: deps.version,
      service: "zipmine-api" as const,
      paused,
      metagraph: { ageSeconds: age === null ? null : age / 1000, block: metagraph.block(), stale },
      currentEpoch: currentPlan ? { id: current.id, status: planner.status(currentPlan, nowMs) } : null,
      nextEpoch: {
        id: next.id,
        secondsUntilStart: Math.round((next.start - nowMs) / 1000),
        planned: nextPlan !== null,
      },
    }, unhealthy ? 503 : 200);
  }

  app.get(ROUTES.health.path, health);
  app.get("/health", health);

  app.get("/metrics", async (c) => {
    const nowMs = clock.now().getTime();
    const age = metagraph.ageMs(nowMs);
    if (age !== null) metagraphAge.set(age / 1000);
    // As the health check computes them; a plan that cannot be read (KV down) counts as missing.
    const current = epochAt(nowMs, planner.epochOptions);
    const next = epochByIndex(current.index + 1, planner.epochOptions);
    const find = (epochId: string) => planner.find(epochId).catch(() => null);
    untilNext.set(Math.round((next.start - nowMs) / 1000));
    nextPlanned.set((await find(next.id)) ? 1 : 0);
    currentMissed.set((await find(current.id))?.targetMissed ? 1 : 0);
    return c.text(metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4" });
  });

  app.get(ROUTES.publicKey.path, (c) => c.json({ success: true, apiHotkey: deps.signer.address }));
  app.get("/openapi.json", (c) => c.json(openapi));
  app.get("/docs", (c) => c.html(renderDocs(openapi)));
  app.get("/commitment-formats", (c) => c.json({ success: true, formats: commitmentTemplates() }));
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

function renderDocs(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<
    string,
    Record<string, { summary: string; description: string; tags: string[] }>
  >;
  const rows = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) =>
      `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${
        escapeHtml(op.tags.join(", "))
      }</td><td>${
        escapeHtml(op.description).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\n\n/g, "<br>")
      }</td></tr>`
    )
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>zipmine API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:72rem}td,th{border-bottom:1px solid #ddd;
padding:.4rem;text-align:left;vertical-align:top}code{background:#f4f4f4;padding:0 .2rem}</style></head><body>
<h1>zipmine API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors carry
<code>detail</code>, <code>statusCode</code>, <code>message</code> and <code>error</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Group</th><th>What</th></tr></thead><tbody>
${rows.join("\n")}</tbody></table></body></html>`;
}
