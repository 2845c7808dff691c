/**
 * Epoch plans in Deno KV. A plan is created once, atomically (`check(versionstamp: null)`), so concurrent
 * isolates or requests racing to create it end up with exactly one; the losers read the winner's plan. The
 * plan stores its nonce and sampling seed, so rotating EPOCH_SECRET only affects epochs planned afterwards.
 * @module
 */
import { z } from "zod";
import { epochNonce, samplingSeed, seedCommitment, selectionSeed } from "../../shared/epoch_secrets.ts";
import type { Epoch } from "../../shared/epoch.ts";
import { NonceSchema } from "../../shared/schemas/common.ts";
import { ZipcodeAssignmentSchema } from "../../shared/schemas/zipcode_assignments.ts";
import type { ZipRecord } from "../../shared/schemas/zip_universe.ts";
import { selectZipcodes } from "../../shared/selection.ts";
import { kvKeys } from "./kv_keys.ts";
import { withKvRetry } from "./kv_retry.ts";

/** Name and version of the selection algorithm, echoed to clients as `algorithmVersion`. */
export const ALGORITHM_VERSION = "zipmine-selection-v1";

/** A stored epoch plan. */
export const EpochPlanSchema = z.object({
  epochId: z.string(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  deadlineMs: z.number().int(),
  zipcodes: z.array(ZipcodeAssignmentSchema),
  totalExpected: z.number().int(),
  targetListings: z.number().int(),
  tolerancePercent: z.number().int(),
  targetMissed: z.boolean(),
  eligibleCount: z.number().int(),
  nonce: NonceSchema,
  samplingSeed: z.string(),
  seedCommitment: z.string(),
  createdAtMs: z.number().int(),
});
export type EpochPlan = z.infer<typeof EpochPlanSchema>;

/** What planning needs besides KV. */
export interface PlanInputs {
  secret: string;
  targetListings: number;
  tolerancePercent: number;
  minListings: number;
  maxListings: number;
  cooldownHours: number;
  states: readonly string[];
  loadUniverse: () => Promise<readonly ZipRecord[]>;
  nowMs: number;
}

/** Reads the plan of `epochId`, or null. */
export async function getPlan(kv: Deno.Kv, epochId: string): Promise<EpochPlan | null> {
  const entry = await kv.get(kvKeys.epoch(epochId));
  return entry.value === null ? null : EpochPlanSchema.parse(entry.value);
}

/**
 * Returns the plan of `epoch`, creating it if it does not exist. Creation reads the cooldown state, draws
 * the ZIPs and commits plan and cooldown marks in one atomic operation; `created` says whether this call
 * won the race.
 */
export async function ensurePlan(
  kv: Deno.Kv,
  epoch: Epoch,
  inputs: PlanInputs,
): Promise<{ plan: EpochPlan; created: boolean }> {
  const existing = await getPlan(kv, epoch.id);
  if (existing) return { plan: existing, created: false };

  const lastAssigned = new Map<string, number>();
  for await (const entry of kv.list<number>({ prefix: kvKeys.lastAssignedAll() })) {
    lastAssigned.set(entry.key[1] as string, entry.value);
  }
  const universe = await inputs.loadUniverse();
  const result = selectZipcodes(universe, {
    seed: selectionSeed(inputs.secret, epoch.id),
    targetListings: inputs.targetListings,
    tolerancePercent: inputs.tolerancePercent,
    minListings: inputs.minListings,
    maxListings: inputs.maxListings,
    cooldownMs: inputs.cooldownHours * 3_600_000,
    now: epoch.start,
    lastAssigned,
    states: inputs.states.length > 0 ? inputs.states : undefined,
  });
  const seed = samplingSeed(inputs.secret, epoch.id);
  const plan: EpochPlan = {
    epochId: epoch.id,
    startMs: epoch.start,
    endMs: epoch.end,
    deadlineMs: epoch.submissionDeadline,
    zipcodes: result.zipcodes.map(toAssignment),
    totalExpected: result.totalExpected,
    targetListings: inputs.targetListings,
    tolerancePercent: inputs.tolerancePercent,
    targetMissed: result.targetMissed,
    eligibleCount: result.eligibleCount,
    nonce: epochNonce(inputs.secret, epoch.id),
    samplingSeed: seed,
    seedCommitment: seedCommitment(seed),
    createdAtMs: inputs.nowMs,
  };
  const op = kv.atomic().check({ key: kvKeys.epoch(epoch.id), versionstamp: null }).set(
    kvKeys.epoch(epoch.id),
    plan,
  );
  for (const z of result.zipcodes) {
    // Only ever move a cooldown mark forward: a late-created older plan must not shorten a newer cooldown.
    if ((lastAssigned.get(z.zipcode) ?? -Infinity) < epoch.start) {
      op.set(kvKeys.lastAssigned(z.zipcode), epoch.start);
    }
  }
  const commit = await withKvRetry(() => op.commit());
  if (commit.ok) return { plan, created: true };
  const winner = await getPlan(kv, epoch.id);
  if (!winner) throw new Error(`Epoch plan ${epoch.id} vanished while it was being created`);
  return { plan: winner, created: false };
}

function toAssignment(z: ZipRecord) {
  return {
    zipcode: z.zipcode,
    expectedListings: z.expectedListings,
    state: z.state,
    city: z.city,
    county: z.county,
    marketTier: z.marketTier,
    geographicRegion: z.geographicRegion,
    latitude: z.latitude,
    longitude: z.longitude,
  };
}

/**
 * The most recent plans that have started by `nowMs`, newest first (at most `limit`). Plans exist days
 * ahead (sealed plans, issue 18); the unstarted ones are skipped, never returned.
 */
export async function recentPlans(kv: Deno.Kv, limit: number, nowMs: number): Promise<EpochPlan[]> {
  const out: EpochPlan[] = [];
  for await (const entry of kv.list({ prefix: kvKeys.epochs() }, { reverse: true })) {
    const plan = EpochPlanSchema.parse(entry.value);
    if (plan.startMs > nowMs) continue;
    out.push(plan);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Deletes plans (and their receipts, statuses and validated counts) that ended before `cutoffMs`, and
 * cooldown marks older than `cooldownCutoffMs`. Returns the number of plans removed.
 */
export async function purgeHistory(kv: Deno.Kv, cutoffMs: number, cooldownCutoffMs: number): Promise<number> {
  let removed = 0;
  for await (const entry of kv.list({ prefix: kvKeys.epochs() })) {
    const plan = EpochPlanSchema.parse(entry.value);
    if (plan.endMs >= cutoffMs) break; // keys sort by epoch id, i.e. by start time
    for (
      const prefix of [
        kvKeys.receipts(plan.epochId),
        kvKeys.receiptCounts(plan.epochId),
        kvKeys.minerStatuses(plan.epochId),
        kvKeys.validatedCountsOfEpoch(plan.epochId),
      ]
    ) {
      for await (const e of kv.list({ prefix })) await kv.delete(e.key);
    }
    await kv.delete(entry.key);
    removed++;
  }
  for await (const entry of kv.list<number>({ prefix: kvKeys.lastAssignedAll() })) {
    if (entry.value < cooldownCutoffMs) await kv.delete(entry.key);
  }
  return removed;
}
