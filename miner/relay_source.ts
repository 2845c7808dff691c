/**
 * The miner's fallback source of assignments: the validators' relay. When the API cannot be reached, the
 * miner asks the validators with the most stake (their axons are in the metagraph) for the running epoch's
 * assignment over the Bittensor axon protocol and accepts the first answer whose API signature verifies
 * under an API address it trusts: one pinned in config, or learned from the API itself earlier.
 * @module
 */
import { verifySignedAssignment } from "../shared/assignment_signature.ts";
import type { Logger } from "../shared/log.ts";
import type { ChainAdapter } from "../shared/ports.ts";
import type { AssignmentResponse } from "../shared/schemas/zipcode_assignments.ts";
import { SealedPlansSynapse, ZipcodeAssignmentSynapse } from "../shared/synapse.ts";
import type { AssignmentSource } from "./assignment_source.ts";
import type { Dendrite } from "../shared/adapters/axon/dendrite.ts";
import { trustedApiHotkeys } from "../shared/adapters/sealed_plans/api_hotkey.ts";
import type { Clock } from "../shared/ports.ts";

// The miner learns the API address when the API answers (`main.ts`); the rule is shared with validators.
export { rememberApiHotkey } from "../shared/adapters/sealed_plans/api_hotkey.ts";

const VALIDATORS_ASKED = 3;

/** What the relay source needs. */
export interface RelaySourceDeps {
  chain: ChainAdapter;
  netuid: number;
  dendrite: Dendrite;
  /** API addresses pinned in config (API_ASSIGNMENT_HOTKEYS); empty means use the learned one. */
  pinnedApiHotkeys: readonly string[];
  stateDir: string;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
}

async function topValidators(deps: Pick<RelaySourceDeps, "chain" | "netuid">) {
  const metagraph = await deps.chain.metagraph(deps.netuid);
  return metagraph.neurons
    .filter((n) => n.validatorPermit && n.axon && n.axon.port > 0)
    .sort((a, b) => b.stake - a.stake || a.uid - b.uid)
    .slice(0, VALIDATORS_ASKED);
}

/**
 * The top validators' copies of the API's sealed plans (`SealedPlans` synapse), unverified: the caller's
 * store keeps only those that verify. Unreachable validators are skipped.
 */
export async function sealedPlanCopies(deps: RelaySourceDeps): Promise<unknown[]> {
  const copies: unknown[] = [];
  for (const v of await topValidators(deps)) {
    try {
      const reply = await deps.dendrite.call(
        { ip: v.axon!.ip, port: v.axon!.port, hotkey: v.hotkey },
        SealedPlansSynapse,
        {},
        deps.timeoutMs,
      );
      copies.push(...reply.response.plans);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      deps.log.warn("validator sealed plans unreachable", { validator: v.hotkey, error });
    }
  }
  return copies;
}

/** The relay as an `AssignmentSource`. */
export function createRelaySource(deps: RelaySourceDeps): AssignmentSource {
  return {
    name: "validator-relay",
    async current(): Promise<AssignmentResponse> {
      const apiHotkeys = await trustedApiHotkeys(deps.stateDir, deps.pinnedApiHotkeys);
      const validators = await topValidators(deps);
      for (const v of validators) {
        try {
          const reply = await deps.dendrite.call(
            { ip: v.axon!.ip, port: v.axon!.port, hotkey: v.hotkey },
            ZipcodeAssignmentSynapse,
            {},
            deps.timeoutMs,
          );
          const verdict = verifySignedAssignment(reply.response, {
            apiHotkeys,
            now: deps.clock.now().getTime(),
          });
          if (verdict.ok) return verdict.signed.assignment;
          deps.log.warn("relayed assignment refused", {
            validator: v.hotkey,
            reason: verdict.reason,
            detail: verdict.detail,
          });
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          deps.log.warn("validator relay unreachable", { validator: v.hotkey, error });
        }
      }
      throw new TypeError(`no validator relayed a verifiable assignment (asked ${validators.length})`);
    },
  };
}
