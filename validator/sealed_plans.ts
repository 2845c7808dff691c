/**
 * The validator's sealed plans (issue 18): it keeps the API's sealed plans in its state folder while the
 * API is up, serves copies to miners over its axon (the `SealedPlans` synapse, `relay.ts`), and, when the
 * API cannot say, opens an epoch's assignment and sampling seed from them with the drand pulses. The API's
 * answer always wins when there is one; an opened seed is checked against the signed commitment.
 * @module
 */
import { join } from "node:path";
import { type ApiClient, ApiClientError } from "../shared/api_client.ts";
import type { BeaconInfo } from "../shared/chain/tlock/drand.ts";
import { epochAt, type EpochOptions } from "../shared/epoch.ts";
import type { Logger } from "../shared/log.ts";
import type { PulseSource } from "../shared/adapters/sealed_plans/pulses.ts";
import { openSealedPlanStore, type SealedPlanStore } from "../shared/adapters/sealed_plans/store.ts";
import {
  type OpenerDeps,
  openHeldPlan,
  openHeldSeed,
  syncSealedPlans,
} from "../shared/adapters/sealed_plans/sync.ts";
import type { AssignmentResponse } from "../shared/schemas/zipcode_assignments.ts";
import { readJsonOrNull, writeJsonAtomic } from "../shared/adapters/node/json_file.ts";
import type { Clock } from "../shared/ports.ts";

/** What the validator's sealed plans need. */
export interface ValidatorSealedDeps {
  apiUrl: string;
  fetch: typeof fetch;
  pulses: PulseSource;
  beacon: BeaconInfo;
  /** API_ASSIGNMENT_HOTKEYS; empty: the key the API signed its last assignment with. */
  pinnedApiHotkeys: readonly string[];
  stateDir: string;
  epochOptions: EpochOptions;
  clock: Clock;
  log: Logger;
}

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
  const store = openSealedPlanStore(join(deps.stateDir, "sealed_plans"));
  const keyPath = join(deps.stateDir, "api_hotkey.json");
  const trust = async () => {
    if (deps.pinnedApiHotkeys.length > 0) return { apiHotkeys: deps.pinnedApiHotkeys, beacon: deps.beacon };
    const learned = await readJsonOrNull<{ apiHotkey: string }>(keyPath);
    if (!learned) throw new TypeError("no trusted API address yet: set API_ASSIGNMENT_HOTKEYS");
    return { apiHotkeys: [learned.apiHotkey], beacon: deps.beacon };
  };
  return {
    store,
    opener: { store, pulses: deps.pulses, trust, clock: deps.clock },
    async learnApiHotkey(apiHotkey) {
      const known = await readJsonOrNull<{ apiHotkey: string }>(keyPath);
      if (known?.apiHotkey !== apiHotkey) await writeJsonAtomic(keyPath, { apiHotkey });
    },
    async sync() {
      try {
        await syncSealedPlans({
          apiUrl: deps.apiUrl,
          fetch: deps.fetch,
          store,
          trust: await trust(),
          log: deps.log,
        });
        // Keep two epochs back: the judged epoch's seed opens during the next one.
        const keepFrom = epochAt(
          deps.clock.now().getTime() - 2 * deps.epochOptions.epochSeconds * 1000,
          deps.epochOptions,
        );
        await store.prune(keepFrom.id);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        deps.log.warn("sealed plans not refreshed", { error });
      }
    },
  };
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
