/**
 * Sealed plans in Deno KV, one per epoch, written once (a sealed plan never changes: re-sealing would only
 * publish a second ciphertext of the same secrets). Kept as long as the epoch's plan.
 * @module
 */
import { type SealedPlan, SealedPlanSchema } from "../../shared/schemas/sealed_plan.ts";
import { kvKeys } from "./kv_keys.ts";
import { withKvRetry } from "./kv_retry.ts";

/** True when `epochId` already has a sealed plan. */
export async function hasSealedPlan(kv: Deno.Kv, epochId: string): Promise<boolean> {
  return (await kv.get(kvKeys.sealedPlan(epochId))).versionstamp !== null;
}

/** Stores `sealed` unless its epoch has one already (a racing isolate's copy wins; both are valid). */
export async function putSealedPlan(kv: Deno.Kv, sealed: SealedPlan): Promise<boolean> {
  const key = kvKeys.sealedPlan(sealed.epochId);
  const commit = await withKvRetry(() =>
    kv.atomic().check({ key, versionstamp: null }).set(key, sealed).commit()
  );
  return commit.ok;
}

/** The sealed plans of epochs from `fromEpochId` on (ids sort by start time), oldest first. */
export async function sealedPlansFrom(
  kv: Deno.Kv,
  fromEpochId: string,
  limit: number,
): Promise<SealedPlan[]> {
  const out: SealedPlan[] = [];
  const iter = kv.list({ start: kvKeys.sealedPlan(fromEpochId), end: [...kvKeys.sealedPlans(), "\uffff"] }, {
    limit,
  });
  for await (const entry of iter) out.push(SealedPlanSchema.parse(entry.value));
  return out;
}

/** Deletes the sealed plans of epochs before `beforeEpochId`; returns how many. */
export async function purgeSealedPlans(kv: Deno.Kv, beforeEpochId: string): Promise<number> {
  let removed = 0;
  for await (const entry of kv.list({ start: kvKeys.sealedPlans(), end: kvKeys.sealedPlan(beforeEpochId) })) {
    await kv.delete(entry.key);
    removed++;
  }
  return removed;
}
