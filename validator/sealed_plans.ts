/**
 * The validator's sealed plans (issue 18): it keeps the API's sealed plans in its state folder while the
 * API is up, serves copies to miners over its axon (the `SealedPlans` synapse, `relay.ts`), and, when the
 * API cannot say, opens an epoch's assignment and sampling seed from them with the drand pulses. The API's
 * answer always wins when there is one; an opened seed is checked against the signed commitment.
 * @module
 */
import { type ApiClient, ApiClientError } from "../shared/api_client.ts";
import type { Logger } from "../shared/log.ts";
import { rememberApiHotkey } from "../shared/adapters/sealed_plans/api_hotkey.ts";
import { type HeldSealedPlansDeps, holdSealedPlans } from "../shared/adapters/sealed_plans/held.ts";
import type { SealedPlanStore } from "../shared/adapters/sealed_plans/store.ts";
import { type OpenerDeps, openHeldPlan, openHeldSeed } from "../shared/adapters/sealed_plans/sync.ts";
import type { AssignmentResponse } from "../shared/schemas/zipcode_assignments.ts";

/** What the validator's sealed plans need. */
export type ValidatorSealedDeps = HeldSealedPlansDeps;

/** The validator's sealed plans: the store the axon serves, the opener judging falls back to, `sync`. */
export interface ValidatorSealedPlans {
  store: SealedPlanStore;
  opener: OpenerDeps;
  /** Learns the API key from an assignment the API itself signed (trust on first use; pins win). */
  learnApiHotkey(apiHotkey: string): Promise<void>;
  /** Refreshes the held plans from the API (never throws on an outage) and prunes old ones. */
  sync(): Promise<void>;
}

export function createValidatorSealedPlans(deps: ValidatorSealedDeps): ValidatorSealedPlans {
  const { store, opener, sync } = holdSealedPlans(deps);
  return { store, opener, sync, learnApiHotkey: (apiHotkey) => rememberApiHotkey(deps.stateDir, apiHotkey) };
}

/** True for "the API cannot answer" (down, overloaded, paused), not for a refusal of this request. */
function apiUnreachable(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof ApiClientError && error.status >= 500);
}

/**
 * An epoch's assignment and revealed seed for judging: from the API, or, while it cannot answer, opened
 * from the held sealed plan. The seed is always checked against the assignment's commitment by the caller.
 */
export async function assignmentAndSeed(
  api: Pick<ApiClient, "epoch" | "seed">,
  sealed: OpenerDeps | undefined,
  epochId: string,
  log: Logger,
): Promise<{ assignment: AssignmentResponse; seed: string }> {
  let assignment: AssignmentResponse;
  try {
    assignment = await api.epoch(epochId);
  } catch (error) {
    if (!sealed || !apiUnreachable(error)) throw error;
    assignment = (await openHeldPlan(sealed, epochId)).assignment;
    log.warn("API unreachable: assignment opened from its sealed plan", { epochId, error });
  }
  try {
    return { assignment, seed: (await api.seed(epochId)).seed };
  } catch (error) {
    if (!sealed || !apiUnreachable(error)) throw error;
    const seed = await openHeldSeed(sealed, epochId, assignment.seedCommitment);
    log.warn("API unreachable: sampling seed opened from its sealed plan", { epochId, error });
    return { assignment, seed };
  }
}
