/**
 * The miner's last assignment source (issue 18): the running epoch's plan, sealed by the API days ahead and
 * held in the miner's state folder, opened with the drand pulse of the epoch's start. It works with the API
 * and every validator unreachable; the opened assignment is the one the API signed.
 * @module
 */
import { join } from "node:path";
import { epochAt, type EpochOptions } from "../shared/epoch.ts";
import type { BeaconInfo } from "../shared/chain/tlock/drand.ts";
import type { Logger } from "../shared/log.ts";
import type { PulseSource } from "../shared/adapters/sealed_plans/pulses.ts";
import { openSealedPlanStore, type SealedPlanStore } from "../shared/adapters/sealed_plans/store.ts";
import { openHeldPlan, syncSealedPlans } from "../shared/adapters/sealed_plans/sync.ts";
import type { AssignmentSource } from "./assignment_source.ts";
import { trustedApiHotkeys } from "./relay_source.ts";
import type { Clock } from "../shared/ports.ts";

/** What the sealed-plan source needs. */
export interface SealedSourceDeps {
  apiUrl: string;
  fetch: typeof fetch;
  pulses: PulseSource;
  beacon: BeaconInfo;
  pinnedApiHotkeys: readonly string[];
  stateDir: string;
  epochOptions: EpochOptions;
  clock: Clock;
  log: Logger;
  /** Validators' copies (`sealedPlanCopies`), asked when the running epoch's plan is not held. */
  copies?: () => Promise<unknown[]>;
}

/** The miner's folder of sealed plans. */
export function minerSealedPlans(stateDir: string): SealedPlanStore {
  return openSealedPlanStore(join(stateDir, "sealed_plans"));
}

/** The sealed-plan source, and `sync` to refresh the held plans from the API while it is up. */
export function createSealedSource(deps: SealedSourceDeps): AssignmentSource & { sync(): Promise<void> } {
  const store = minerSealedPlans(deps.stateDir);
  const trust = async () => ({
    apiHotkeys: await trustedApiHotkeys(deps.stateDir, deps.pinnedApiHotkeys),
    beacon: deps.beacon,
  });
  return {
    name: "sealed-plan",
    async current() {
      const epoch = epochAt(deps.clock.now().getTime(), deps.epochOptions);
      if (deps.copies && !(await store.get(epoch.id))) {
        const { added } = await store.save(await deps.copies(), await trust());
        deps.log.info("sealed plans copied from validators", { added });
      }
      const signed = await openHeldPlan({ store, pulses: deps.pulses, trust, clock: deps.clock }, epoch.id);
      deps.log.info("assignment opened from its sealed plan", { epochId: epoch.id });
      return signed.assignment;
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
        const previous = epochAt(
          deps.clock.now().getTime() - 2 * deps.epochOptions.epochSeconds * 1000,
          deps.epochOptions,
        );
        await store.prune(previous.id);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        deps.log.warn("sealed plans not refreshed", { error });
      }
    },
  };
}
