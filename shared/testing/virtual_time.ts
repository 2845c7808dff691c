/**
 * Virtual time for tests: a clock and a sleep that never wait on the wall clock. `run(work)` lets every
 * pending callback settle, then jumps to the earliest sleeper, until `work` settles, so minutes of
 * paced fetching take milliseconds and every timing is exact.
 * @module
 */
import type { Clock } from "../ports.ts";
import type { Sleep } from "../adapters/fetch/sleep.ts";

/** A virtual clock with its sleep. */
export interface VirtualTime {
  clock: Clock;
  sleep: Sleep;
  nowMs(): number;
  /** Settles `work`, advancing virtual time whenever nothing else can run. */
  run<T>(work: Promise<T>): Promise<T>;
}

interface Sleeper {
  atMs: number;
  order: number;
  wake(): void;
}

// Rounds of real event-loop turns without any sleeper before `run` gives up on a stuck promise.
const MAX_IDLE_TURNS = 200;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Creates virtual time starting at `startMs`. */
export function createVirtualTime(startMs = 0): VirtualTime {
  let now = startMs;
  let order = 0;
  const sleepers: Sleeper[] = [];

  function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        reject(signal!.reason);
      };
      const sleeper: Sleeper = {
        atMs: now + Math.max(0, ms),
        order: order++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      sleepers.push(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async function run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(() => settled = true, () => settled = true);
    for (let idle = 0; !settled;) {
      await nextTurn();
      if (settled) break;
      if (sleepers.length === 0) {
        if (++idle > MAX_IDLE_TURNS) {
          throw new Error("Cannot advance virtual time: the work waits on nothing");
        }
        continue;
      }
      idle = 0;
      sleepers.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
      const next = sleepers.shift()!;
      now = Math.max(now, next.atMs);
      next.wake();
    }
    return await work;
  }

  return { clock: { now: () => new Date(now) }, sleep, nowMs: () => now, run };
}
