/**
 * A program's held sealed plans (issue 18): the store in its state folder, the opener the fallbacks use,
 * and `sync`, which refreshes the store from the API while it is up. Miners and validators hold them alike;
 * only what they open them for differs.
 * @module
 */
import { join } from "node:path";
import type { BeaconInfo } from "../../chain/tlock/drand.ts";
import { epochAt, type EpochOptions } from "../../epoch.ts";
import type { Logger } from "../../log.ts";
import type { Clock } from "../../ports.ts";
import type { SealTrust } from "../../sealed_plan.ts";
import { trustedApiHotkeys } from "./api_hotkey.ts";
import { createRelayPulseSource, DRAND_RELAY_TIMEOUT_MS, type PulseSource } from "./pulses.ts";
import { openSealedPlanStore, type SealedPlanStore } from "./store.ts";
import { type OpenerDeps, syncSealedPlans } from "./sync.ts";

/** What holding sealed plans needs. */
export interface HeldSealedPlansDeps {
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

/** The knobs every holder of sealed plans reads (`sealed_plans/config.ts` and the program's API_URL). */
export interface HeldSealedPlansKnobs {
  API_URL: string;
  DRAND_RELAY_URLS: readonly string[];
  DRAND_BEACON: BeaconInfo;
  API_ASSIGNMENT_HOTKEYS: readonly string[];
}

/** A program's holding deps from its knobs: pulses from the configured drand relays. */
export function heldSealedPlansDeps(
  config: HeldSealedPlansKnobs,
  io: Pick<HeldSealedPlansDeps, "fetch" | "stateDir" | "epochOptions" | "clock" | "log">,
): HeldSealedPlansDeps {
  return {
    ...io,
    apiUrl: config.API_URL,
    pulses: createRelayPulseSource(config.DRAND_RELAY_URLS, {
      fetch: io.fetch,
      timeoutMs: DRAND_RELAY_TIMEOUT_MS,
    }),
    beacon: config.DRAND_BEACON,
    pinnedApiHotkeys: config.API_ASSIGNMENT_HOTKEYS,
  };
}

/** The held plans: the store, the opener over it, the trust it verifies with, and `sync`. */
export interface HeldSealedPlans {
  store: SealedPlanStore;
  opener: OpenerDeps;
  trust(): Promise<SealTrust>;
  /** Refreshes the held plans from the API (never throws on an outage) and prunes old ones. */
  sync(): Promise<void>;
}

export function holdSealedPlans(deps: HeldSealedPlansDeps): HeldSealedPlans {
  const store = openSealedPlanStore(join(deps.stateDir, "sealed_plans"));
  const trust = async (): Promise<SealTrust> => ({
    apiHotkeys: await trustedApiHotkeys(deps.stateDir, deps.pinnedApiHotkeys),
    beacon: deps.beacon,
  });
  return {
    store,
    opener: { store, pulses: deps.pulses, trust, clock: deps.clock },
    trust,
    async sync() {
      try {
        await syncSealedPlans({
          apiUrl: deps.apiUrl,
          fetch: deps.fetch,
          store,
          trust: await trust(),
          log: deps.log,
        });
        // Keep two epochs back: a judged epoch's seed opens during the next one.
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
