/**
 * The axon's priority step: at most `maxConcurrent` handlers run at once; the rest wait, highest priority
 * first (then first come), at most `maxQueued` of them, each no longer than its own timeout. The SDK runs
 * forward functions on a priority thread pool and answers 408 on a wait timeout and 503 otherwise; the
 * axon maps `GateTimeoutError` and `GateFullError` to those codes.
 * @module
 */

/** The queue is full: answer 503. */
export class GateFullError extends Error {
  constructor() {
    super("Service unavailable: the axon is busy");
    this.name = "GateFullError";
  }
}

/** A waiter's timeout passed before a slot freed: answer 408. */
export class GateTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Response timeout after: ${timeoutMs / 1000}s`);
    this.name = "GateTimeoutError";
  }
}

interface Waiter {
  priority: number;
  seq: number;
  grant: (release: () => void) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** A concurrency limit with a priority queue. */
export class PriorityGate {
  #active = 0;
  #seq = 0;
  #queue: Waiter[] = [];

  constructor(readonly maxConcurrent: number, readonly maxQueued: number) {
    if (!(maxConcurrent >= 1) || !(maxQueued >= 0)) throw new RangeError("Invalid gate limits");
  }

  /** Handlers running now. */
  get active(): number {
    return this.#active;
  }

  /** Handlers waiting now. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Waits for a slot; resolves to the function that frees it (idempotent). */
  acquire(priority: number, timeoutMs: number): Promise<() => void> {
    if (this.#active < this.maxConcurrent && this.#queue.length === 0) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#queue.length >= this.maxQueued) return Promise.reject(new GateFullError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { priority, seq: this.#seq++, grant: resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.#queue = this.#queue.filter((w) => w !== waiter);
        reject(new GateTimeoutError(timeoutMs));
      }, Math.max(0, timeoutMs));
      const at = this.#queue.findIndex((w) => w.priority < priority);
      this.#queue.splice(at === -1 ? this.#queue.length : at, 0, waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      while (this.#active < this.maxConcurrent && this.#queue.length > 0) {
        const next = this.#queue.shift()!;
        clearTimeout(next.timer);
        this.#active++;
        next.grant(this.#releaser());
      }
    };
  }
}
