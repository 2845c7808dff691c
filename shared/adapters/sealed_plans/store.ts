/**
 * Sealed plans kept in a state folder (`{dir}/{epochId}.json`), by miners and validators alike. Only
 * envelopes that verify (API signature, trusted beacon) are stored, so a copy served from here is as good
 * as the API's; old ones are pruned.
 * @module
 */
import { join } from "node:path";
import { type SealTrust, verifySealedPlan } from "../../sealed_plan.ts";
import type { SealedPlan } from "../../schemas/sealed_plan.ts";
import { EpochIdSchema } from "../../schemas/common.ts";
import { readJsonOrNull, writeJsonAtomic } from "../node/json_file.ts";

/** A folder of sealed plans. */
export interface SealedPlanStore {
  /** Stores each verifiable plan not yet held; returns how many were added and why others were refused. */
  save(plans: readonly unknown[], trust: SealTrust): Promise<{ added: number; refused: string[] }>;
  get(epochId: string): Promise<SealedPlan | null>;
  /** Every held plan from `fromEpochId` on, oldest first. */
  list(fromEpochId: string): Promise<SealedPlan[]>;
  /** Drops plans of epochs before `beforeEpochId`. */
  prune(beforeEpochId: string): Promise<number>;
}

/** Opens (creating) the store at `dir`. */
export function openSealedPlanStore(dir: string): SealedPlanStore {
  const path = (epochId: string) => join(dir, `${epochId}.json`);
  async function ids(): Promise<string[]> {
    const out: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) {
        const id = e.name.replace(/\.json$/, "");
        if (e.isFile && e.name.endsWith(".json") && EpochIdSchema.safeParse(id).success) out.push(id);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return out.sort();
  }
  const store: SealedPlanStore = {
    async save(plans, trust) {
      let added = 0;
      const refused: string[] = [];
      for (const raw of plans) {
        const verdict = verifySealedPlan(raw, trust);
        if (!verdict.ok) {
          refused.push(`${verdict.reason}: ${verdict.detail}`);
          continue;
        }
        if (await store.get(verdict.value.epochId)) continue;
        await writeJsonAtomic(path(verdict.value.epochId), verdict.value);
        added++;
      }
      return { added, refused };
    },
    async get(epochId) {
      if (!EpochIdSchema.safeParse(epochId).success) return null;
      return await readJsonOrNull<SealedPlan>(path(epochId));
    },
    async list(fromEpochId) {
      const out: SealedPlan[] = [];
      for (const id of await ids()) {
        const plan = id >= fromEpochId ? await store.get(id) : null;
        if (plan) out.push(plan);
      }
      return out;
    },
    async prune(beforeEpochId) {
      let removed = 0;
      for (const id of await ids()) {
        if (id >= beforeEpochId) break;
        await Deno.remove(path(id)).catch(() => {});
        removed++;
      }
      return removed;
    },
  };
  return store;
}
