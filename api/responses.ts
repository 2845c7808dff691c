/**
 * Builders of the larger response bodies, kept apart from the handlers so the wire shape of each message
 * lives in one place (and matches its zod schema in shared/schemas/).
 * @module
 */
import type { z } from "zod";
import type {
  AssignmentResponse,
  SignedAssignmentResponse,
  StatsResponseSchema,
} from "../shared/schemas/zipcode_assignments.ts";
import { signAssignment } from "../shared/assignment_signature.ts";
import type { KeyringPair } from "../shared/signature.ts";
import type { ApiDeps } from "./deps.ts";
import type { EpochStatus, Planner } from "./planner.ts";
import { isPaused } from "./stores/control.ts";
import { ALGORITHM_VERSION, type EpochPlan, recentPlans } from "./stores/epochs.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /current` and `GET /epoch/{id}`: the plan as RESI clients read it, nonce included, signed by the API. */
export function signedAssignmentResponse(
  plan: EpochPlan,
  status: EpochStatus,
  signer: KeyringPair,
): SignedAssignmentResponse {
  const signed = signAssignment(signer, assignmentResponse(plan, status));
  return { ...signed.assignment, apiSignature: signed.apiSignature, apiHotkey: signed.apiHotkey };
}

/** The unsigned assignment of `plan` (also what a sealed plan signs and seals). */
export function assignmentResponse(plan: EpochPlan, status: EpochStatus): AssignmentResponse {
  return {
    success: true,
    epochId: plan.epochId,
    epochStart: iso(plan.startMs),
    epochEnd: iso(plan.endMs),
    nonce: plan.nonce,
    targetListings: plan.targetListings,
    tolerancePercent: plan.tolerancePercent,
    submissionDeadline: iso(plan.deadlineMs),
    status,
    zipcodes: plan.zipcodes,
    metadata: {
      totalExpectedListings: plan.totalExpected,
      zipcodeCount: plan.zipcodes.length,
      algorithmVersion: ALGORITHM_VERSION,
      // Clients only log this number; derived from the public commitment, it reveals nothing secret.
      selectionSeed: parseInt(plan.seedCommitment.slice(0, 8), 16),
      targetMissed: plan.targetMissed,
    },
    seedCommitment: plan.seedCommitment,
    assignments: [],
  };
}

/** The public `GET /stats` body: epoch timing and universe statistics, never the nonce or the seed. */
export async function statsResponse(
  deps: ApiDeps,
  planner: Planner,
  plan: EpochPlan,
  nowMs: number,
): Promise<z.infer<typeof StatsResponseSchema>> {
  const { config } = deps;
  const epochMs = config.EPOCH_SECONDS * 1000;
  const status = planner.status(plan, nowMs);
  const untilEnd = Math.max(0, Math.round((plan.endMs - nowMs) / 1000));
  const universe = await deps.loadUniverse();
  const byState = new Map<string, { count: number; total: number }>();
  const byTier = new Map<string, { count: number; total: number }>();
  let active = 0;
  for (const z of universe) {
    if (!z.active) continue;
    active++;
    for (const [map, key] of [[byState, z.state], [byTier, z.marketTier]] as const) {
      const entry = map.get(key) ?? { count: 0, total: 0 };
      entry.count++;
      entry.total += z.expectedListings;
      map.set(key, entry);
    }
  }
  const distribution = (map: Map<string, { count: number; total: number }>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, v]) => ({
      key,
      count: v.count,
      avgListings: Math.round((v.total / v.count) * 10) / 10,
    }));
  const paused = await isPaused(deps.kv);
  return {
    success: true,
    currentTime: Math.floor(nowMs / 1000),
    systemStatus: paused ? "paused" : "operational",
    epochStatus: {
      currentEpoch: {
        id: plan.epochId,
        status,
        startTime: iso(plan.startMs),
        endTime: iso(plan.endMs),
        zipcodeCount: plan.zipcodes.length,
        targetListings: plan.targetListings,
        actualExpected: plan.totalExpected,
        timeUntilEpochEnd: untilEnd,
      },
      timing: {
        timeUntilEpochEnd: untilEnd,
        timeUntilNextEpoch: untilEnd,
        epochDurationHours: epochMs / 3_600_000,
      },
      nextEpoch: { startTime: iso(plan.endMs) },
    },
    zipcodeStatistics: {
      totalZipcodes: universe.length,
      activeZipcodes: active,
      inactiveZipcodes: universe.length - active,
      stateDistribution: distribution(byState).map(({ key, ...v }) => ({ state: key, ...v })),
      tierDistribution: distribution(byTier).map(({ key, ...v }) => ({ tier: key, ...v })),
      configuration: {
        targetListings: config.TARGET_LISTINGS,
        tolerancePercent: config.TOLERANCE_PERCENT,
        cooldownHours: config.COOLDOWN_HOURS,
        minListings: config.MIN_ZIPCODE_LISTINGS,
        maxListings: config.MAX_ZIPCODE_LISTINGS,
      },
    },
    recentPerformance: (await recentPlans(deps.kv, 5, nowMs)).map((p) => ({
      epochId: p.epochId,
      status: planner.status(p, nowMs),
      zipcodesAssigned: p.zipcodes.length,
      targetListings: p.targetListings,
      actualExpected: p.totalExpected,
    })),
  };
}
