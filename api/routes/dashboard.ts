/**
 * The public network dashboard: the page at `/` and the JSON behind it, `GET /api/v1/dashboard/current`
 * and `GET /api/v1/dashboard/epochs`. Nothing here needs a signature, so everything is cached briefly:
 * however many browsers poll, the KV and the validator bucket see a bounded number of reads.
 * @module
 */
import type { Hono } from "hono";
import { ROUTES } from "../../shared/contract.ts";
import {
  type DashboardCurrent,
  type DashboardEpochs,
  DashboardEpochsQuerySchema,
} from "../../shared/schemas/dashboard.ts";
import { renderDashboardPage } from "../dashboard/page.tsx";
import { createPublishedReports, type PublishedVerdict } from "../dashboard/published_reports.ts";
import { createTtlCache } from "../dashboard/ttl_cache.ts";
import { auditHistory, currentView, epochView } from "../dashboard/views.ts";
import type { ApiDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import type { Planner } from "../planner.ts";
import { cachedPauseCheck } from "../stores/control.ts";
import { recentPlans } from "../stores/epochs.ts";
import { listReceipts, progressSummary } from "../stores/receipts.ts";

/** How long miner progress, the epochs body and the validator bucket's answers are reused. */
const PROGRESS_TTL_MS = 5_000;
const EPOCHS_TTL_MS = 15_000;
const REPORTS_TTL_MS = 60_000;
/** How often the page polls each body. */
const POLL_MS = 5_000;
const EPOCHS_POLL_MS = 30_000;

/** Registers the dashboard routes on `app`. */
export function registerDashboardRoutes(app: Hono, deps: ApiDeps, planner: Planner): void {
  const current = currentSource(deps, planner);
  const epochs = epochsSource(deps);
  const defaultLimit = DashboardEpochsQuerySchema.parse({}).limit;

  app.get(ROUTES.dashboardCurrent.path, async (c) => c.json(await current()));

  app.get(ROUTES.dashboardEpochs.path, async (c) => {
    const query = DashboardEpochsQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      throw new ApiError(
        400,
        `Invalid limit "${c.req.query("limit")}": expected an integer in 1..24`,
        "bad_query",
      );
    }
    return c.json(await epochs(query.data.limit));
  });

  app.get("/", async (c) => {
    const [currentBody, epochsBody] = await Promise.all([current(), epochs(defaultLimit)]);
    return c.html(renderDashboardPage({
      current: currentBody,
      epochs: epochsBody,
      client: {
        currentPath: ROUTES.dashboardCurrent.path,
        epochsPath: ROUTES.dashboardEpochs.path,
        pollMs: POLL_MS,
        epochsPollMs: EPOCHS_POLL_MS,
      },
    }));
  });
}

/** The current body, built from miner progress cached for a few seconds. */
function currentSource(deps: ApiDeps, planner: Planner): () => Promise<DashboardCurrent> {
  const { kv } = deps;
  const now = () => deps.clock.now().getTime();
  const paused = cachedPauseCheck(kv, deps.clock);
  const progress = createTtlCache<{ counts: Record<string, number>; receipts: number }>({
    ttlMs: PROGRESS_TTL_MS,
    maxEntries: 4,
    clock: deps.clock,
  });
  return async () => {
    const { plan } = await planner.current();
    const nowMs = now();
    const { counts, receipts } = await progress.get(plan.epochId, async () => ({
      counts: await progressSummary(kv, plan.epochId),
      receipts: (await listReceipts(kv, plan.epochId)).submissions.length,
    }));
    return currentView({
      plan,
      status: planner.status(plan, nowMs),
      paused: await paused(),
      progress: counts,
      receipts,
      nowMs,
    });
  };
}

/** The epochs body by limit, cached, with the validators' verdicts read through their own cache. */
function epochsSource(deps: ApiDeps): (limit: number) => Promise<DashboardEpochs> {
  const { kv, log } = deps;
  const now = () => deps.clock.now().getTime();
  const reports = createPublishedReports({
    objectReader: deps.objectReader,
    bucket: deps.config.S3_VALIDATOR_BUCKET,
    clock: deps.clock,
    log,
    ttlMs: REPORTS_TTL_MS,
  });
  const epochBodies = createTtlCache<DashboardEpochs>({
    ttlMs: EPOCHS_TTL_MS,
    maxEntries: 24,
    clock: deps.clock,
  });

  async function epochs(limit: number): Promise<DashboardEpochs> {
    const nowMs = now();
    // The newest started plan is the running epoch: it is skipped.
    const plans = await recentPlans(kv, limit + 1, nowMs);
    const ended = plans.filter((p) => p.endMs <= nowMs).slice(0, limit);
    let verdicts = new Map<string, PublishedVerdict[]>();
    let reportsAvailable = true;
    try {
      verdicts = await reports.forEpochs(ended.map((p) => p.epochId));
    } catch (error) {
      reportsAvailable = false;
      log.warn("validator reports unreadable", { bucket: deps.config.S3_VALIDATOR_BUCKET, error });
    }
    const secrets = plans.flatMap((p) => [p.nonce, p.samplingSeed, p.seedCommitment]);
    const views = ended.map((plan) =>
      epochView({
        plan,
        verdicts: verdicts.get(plan.epochId) ?? [],
        stakeOf: (hotkey) => deps.metagraph.lookup(hotkey)?.stake ?? null,
        secrets,
      })
    );
    return {
      success: true,
      generatedAt: new Date(nowMs).toISOString(),
      reportsAvailable,
      epochs: views,
      auditHistory: auditHistory(views),
    };
  }

  return (limit: number) => epochBodies.get(String(limit), () => epochs(limit));
}
