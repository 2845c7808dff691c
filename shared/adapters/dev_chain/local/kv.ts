/**
 * The local chain's KV layout and its transaction helpers: several processes share one file, so every
 * write is a checked atomic retried on conflicts and SQLite lock errors.
 * @module
 */

export const ROOT = "local_chain";
export const keys = {
  meta: (): Deno.KvKey => [ROOT, "meta"],
  subnet: (netuid: number): Deno.KvKey => [ROOT, "subnet", netuid],
  count: (netuid: number): Deno.KvKey => [ROOT, "count", netuid],
  neuron: (netuid: number, uid: number): Deno.KvKey => [ROOT, "neuron", netuid, uid],
  neurons: (netuid: number): Deno.KvKey => [ROOT, "neuron", netuid],
  uid: (netuid: number, hotkey: string): Deno.KvKey => [ROOT, "uid", netuid, hotkey],
  weights: (netuid: number, uid: number): Deno.KvKey => [ROOT, "weights", netuid, uid],
  allWeights: (netuid: number): Deno.KvKey => [ROOT, "weights", netuid],
  timelocked: (netuid: number, uid: number): Deno.KvKey => [ROOT, "timelocked", netuid, uid],
  allTimelocked: (netuid: number): Deno.KvKey => [ROOT, "timelocked", netuid],
  hashCommits: (netuid: number, hotkey: string): Deno.KvKey => [ROOT, "commits", netuid, hotkey],
};

// Conflicts and lock errors are retried with a growing, jittered pause; a few writers (two validators and
// the localnet driver) settle in a handful of attempts, a stuck database still surfaces as an error.
const MAX_ATTEMPTS = 50;
const MAX_PAUSE_MS = 100;

/** One attempt of a transaction: a write to commit (and the answer once it lands), or an answer now. */
export type Attempt<T> = { atomic: Deno.AtomicOperation; result: T } | { done: T };

// Runs a read-then-atomic-write until its checks hold (another process may write in between). An attempt
// may answer without writing (a refusal); a thrown error ends the transaction.
export async function transact<T>(attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const outcome = await attempt();
    if ("done" in outcome) return outcome.done;
    const committed = await retry(() => outcome.atomic.commit());
    if (committed.ok) return outcome.result;
    await pause(i + 1);
  }
  throw new Error(`Cannot write to the local chain: ${MAX_ATTEMPTS} attempts conflicted with other writers`);
}

// Retries SQLite lock errors: other processes (validators, the localnet driver) share the file.
export async function retry<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const locked = error instanceof TypeError && /database is (locked|busy)/i.test(error.message);
      if (!locked || attempt >= MAX_ATTEMPTS) throw error;
      await pause(attempt);
    }
  }
}

// Jitter keeps writers from retrying in lock-step; it needs no determinism.
export function pause(attempt: number): Promise<void> {
  const ms = Math.min(MAX_PAUSE_MS, 2 * attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function listAll<T>(kv: Deno.Kv, prefix: Deno.KvKey): Promise<Map<number, T>> {
  return await retry(async () => {
    const out = new Map<number, T>();
    for await (const entry of kv.list<T>({ prefix })) {
      out.set(entry.key[entry.key.length - 1] as number, entry.value);
    }
    return out;
  });
}
