/**
 * Epoch planning as the API runs it: the plan of the epoch containing "now" (created lazily if the cron
 * missed it), the next plan created ahead of its boundary, and an in-memory cache of plans (they never
 * change once created, so every isolate may keep them).
 * @module
 */
import { type Epoch, epochAt, epochById, epochByIndex } from "../shared/epoch.ts";
import type { ApiDeps } from "./deps.ts";
import { ensurePlan, type EpochPlan, getPlan } from "./stores/epochs.ts";

const CACHE_LIMIT = 64;

/** Epoch lifecycle as clients see it. */
export type EpochStatus = "PENDING" | "ACTIVE" | "COMPLETED" | "ARCHIVED";

/** Plans epochs for the API. */
export interface Planner {
  epochOptions: { epochSeconds: number; uploadLeadSeconds: number };
  /** The epoch containing now, and its plan (created on demand). */
  current(): Promise<{ epoch: Epoch; plan: EpochPlan }>;
  /** The plan of `epoch`, created on demand (the sealed-plan publisher plans epochs days ahead). */
  plan(epoch: Epoch): Promise<EpochPlan>;
  /** The plan of a past or current epoch; null if it was never planned. */
  find(epochId: string): Promise<EpochPlan | null>;
  /** Creates the next epoch's plan once within PLAN_LEAD_SECONDS of its start; returns it if it exists. */
  planAhead(): Promise<EpochPlan | null>;
  status(plan: EpochPlan, nowMs: number): EpochStatus;
}

/** Creates the planner over the API's dependencies. */
export function createPlanner(deps: ApiDeps): Planner {
  const { config, kv, clock, metrics, log } = deps;
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };
  const cache = new Map<string, EpochPlan>();
  const planned = metrics.counter(
    "zipmine_api_epochs_planned_total",
    "Epoch plans created, by target outcome",
  );
  const expected = metrics.gauge(
    "zipmine_api_epoch_expected_listings",
    "Expected listings of the latest plan",
  );

  function remember(plan: EpochPlan): EpochPlan {
    cache.set(plan.epochId, plan);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    return plan;
  }

  async function ensure(epoch: Epoch): Promise<EpochPlan> {
    const hit = cache.get(epoch.id);
    if (hit) return hit;
    const { plan, created } = await ensurePlan(kv, epoch, {
      secret: config.EPOCH_SECRET!,
      targetListings: config.TARGET_LISTINGS,
      tolerancePercent: config.TOLERANCE_PERCENT,
      minListings: config.MIN_ZIPCODE_LISTINGS,
      maxListings: config.MAX_ZIPCODE_LISTINGS,
      cooldownHours: config.COOLDOWN_HOURS,
      states: config.ZIP_STATES,
      loadUniverse: deps.loadUniverse,
      nowMs: clock.now().getTime(),
    });
    if (created) {
      planned.inc({ target_missed: String(plan.targetMissed) });
      expected.set(plan.totalExpected);
      const fields = {
        epochId: plan.epochId,
        zipcodes: plan.zipcodes.length,
        totalExpected: plan.totalExpected,
        eligible: plan.eligibleCount,
      };
      if (plan.targetMissed) log.warn("epoch plan misses the target band", fields);
      else log.info("epoch planned", fields);
    }
    return remember(plan);
  }

  return {
    epochOptions,
    async current() {
      const epoch = epochAt(clock.now(), epochOptions);
      return { epoch, plan: await ensure(epoch) };
    },
    plan: ensure,
    async find(epochId) {
      const hit = cache.get(epochId);
      if (hit) return hit;
      const plan = await getPlan(kv, epochId);
      return plan ? remember(plan) : null;
    },
    async planAhead() {
      const nowMs = clock.now().getTime();
      const next = epochByIndex(epochAt(nowMs, epochOptions).index + 1, epochOptions);
      if (nowMs < next.start - config.PLAN_LEAD_SECONDS * 1000) return await this.find(next.id);
      return await ensure(next);
    },
    status(plan, nowMs) {
      if (nowMs < plan.startMs) return "PENDING";
      if (nowMs < plan.endMs) return "ACTIVE";
      const epoch = epochById(plan.epochId, epochOptions);
      return nowMs < epoch.validationEnd ? "COMPLETED" : "ARCHIVED";
    },
  };
}
