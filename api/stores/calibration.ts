/**
 * Validated counts for calibration: one submission per validator and epoch (a re-post replaces its own),
 * each ZIP's expected count recomputed from the plan's value and the median over the validators that
 * reported it (`shared/calibration.ts`), so re-posts are idempotent and no epoch can undo another's.
 * @module
 */
import { recalibrate, type RecalibrateOptions } from "../../shared/calibration.ts";
import { ApiError } from "../errors.ts";
import type { EpochPlan } from "./epochs.ts";
import { kvKeys } from "./kv_keys.ts";

/** Stores `validator`'s counts for `plan`'s epoch and returns the new expected count of each ZIP it named. */
export async function recordValidatedCounts(
  kv: Deno.Kv,
  plan: EpochPlan,
  validator: string,
  counts: readonly { zipcode: string; validatedListings: number }[],
  options: RecalibrateOptions,
): Promise<Record<string, number>> {
  const assigned = new Map(plan.zipcodes.map((z) => [z.zipcode, z.expectedListings]));
  const unknown = counts.filter((x) => !assigned.has(x.zipcode)).map((x) => x.zipcode);
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      `ZIP codes not assigned in ${plan.epochId}: ${unknown.join(", ")}`,
      "unassigned_zip",
    );
  }
  const mine = Object.fromEntries(counts.map((x) => [x.zipcode, x.validatedListings]));
  if (Object.keys(mine).length !== counts.length) {
    throw new ApiError(400, "Each ZIP code may appear once", "duplicate_zip");
  }
  await kv.set(kvKeys.validatedCounts(plan.epochId, validator), mine);
  const reports = new Map<string, number[]>();
  for await (
    const e of kv.list<Record<string, number>>({ prefix: kvKeys.validatedCountsOfEpoch(plan.epochId) })
  ) {
    for (const [zipcode, n] of Object.entries(e.value)) {
      if (assigned.has(zipcode)) reports.set(zipcode, [...(reports.get(zipcode) ?? []), n]);
    }
  }
  const updated: Record<string, number> = {};
  for (const zipcode of Object.keys(mine)) {
    updated[zipcode] = recalibrate(assigned.get(zipcode)!, reports.get(zipcode) ?? [], options);
    await kv.set(kvKeys.expected(zipcode), updated[zipcode]);
  }
  return updated;
}
