/**
 * Keeping a state folder's sealed plans current while the API is up, and opening them when it is not:
 * the one place miners and validators share for issue 18.
 * @module
 */
import { ROUTES } from "../../contract.ts";
import type { Logger } from "../../log.ts";
import { openSealedPlan, openSealedSeed, type SealTrust } from "../../sealed_plan.ts";
import { SealedPlansResponseSchema } from "../../schemas/sealed_plan.ts";
import type { SignedAssignment } from "../../schemas/signed_assignment.ts";
import type { PulseSource } from "./pulses.ts";
import type { SealedPlanStore } from "./store.ts";
import type { Clock } from "../../ports.ts";

/** Fetches the API's public sealed plans and stores the verifiable ones; returns how many were new. */
export async function syncSealedPlans(
  deps: { apiUrl: string; fetch: typeof fetch; store: SealedPlanStore; trust: SealTrust; log: Logger },
): Promise<number> {
  const res = await deps.fetch(new URL(ROUTES.sealedPlans.path, deps.apiUrl), {
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new TypeError(`GET ${ROUTES.sealedPlans.path}: HTTP ${res.status}`);
  }
  const { plans } = SealedPlansResponseSchema.parse(await res.json());
  const { added, refused } = await deps.store.save(plans, deps.trust);
  if (refused.length > 0) deps.log.warn("sealed plans refused", { refused: refused.slice(0, 3) });
  if (added > 0) deps.log.info("sealed plans stored", { added, held: plans.length });
  return added;
}

/** Why opening failed, as an error the assignment and judging fallbacks treat as "source unavailable". */
export class SealedPlanUnavailableError extends Error {
  override name = "SealedPlanUnavailableError";
}

/** What opening needs. */
export interface OpenerDeps {
  store: SealedPlanStore;
  pulses: PulseSource;
  trust: () => Promise<SealTrust>;
  clock: Clock;
}

/** The API-signed assignment of `epochId`, opened from the held sealed plan and its round's pulse. */
export async function openHeldPlan(deps: OpenerDeps, epochId: string): Promise<SignedAssignment> {
  const sealed = await deps.store.get(epochId);
  if (!sealed) throw new SealedPlanUnavailableError(`no sealed plan held for ${epochId}`);
  const pulse = await deps.pulses.pulse(BigInt(sealed.planRound));
  const opened = openSealedPlan(sealed, pulse, {
    ...(await deps.trust()),
    nowMs: deps.clock.now().getTime(),
  });
  if (!opened.ok) throw new SealedPlanUnavailableError(`${opened.reason}: ${opened.detail}`);
  return opened.value;
}

/** The sampling seed of `epochId`, opened from the held sealed plan; checked against `seedCommitment`. */
export async function openHeldSeed(
  deps: OpenerDeps,
  epochId: string,
  seedCommitment: string,
): Promise<string> {
  const sealed = await deps.store.get(epochId);
  if (!sealed) throw new SealedPlanUnavailableError(`no sealed plan held for ${epochId}`);
  const pulse = await deps.pulses.pulse(BigInt(sealed.seedRound));
  const opened = openSealedSeed(sealed, pulse, seedCommitment, {
    ...(await deps.trust()),
    nowMs: deps.clock.now().getTime(),
  });
  if (!opened.ok) throw new SealedPlanUnavailableError(`${opened.reason}: ${opened.detail}`);
  return opened.value;
}
