/**
 * When an exit may send its next request. Starts sit on an even grid (no bursts), each pushed later by
 * a random jitter of up to FETCH_JITTER_MS that does not accumulate, so a busy exit keeps its pace; an
 * idle exit earns no burst credit. The budget is REQUESTS_PER_MINUTE per 61 s, a minute plus a margin:
 * two starts a budget apart can reach the site with different delays, and with a bare 60 s the site's
 * own sliding minute saw budget + 1 (tests/bench/fetch_budget.ts). The grid is 61 s / REQUESTS_PER_MINUTE
 * apart and a sliding-window check holds the limit when jitter bunches starts. Time and randomness come
 * in as arguments, so tests drive it with a virtual clock.
 * @module
 */

/** The pacing of one exit. */
export interface SendPacer {
  /** Books the next start at or after `nowMs` and returns it (ms); `random()` draws the jitter. */
  reserve(nowMs: number, random: () => number): number;
}

/** Options of `createSendPacer`. */
export interface SendPacerOptions {
  requestsPerMinute: number;
  jitterMs: number;
}

// A minute plus the delivery margin.
const WINDOW_MS = 61_000;

/** Creates the pacer of one exit. */
export function createSendPacer(options: SendPacerOptions): SendPacer {
  const { requestsPerMinute, jitterMs } = options;
  const gapMs = WINDOW_MS / requestsPerMinute;
  let nextSlotMs = -Infinity;
  let lastStartMs = -Infinity;
  // Starts of the last window, ascending (starts are handed out in order).
  const starts: number[] = [];

  function reserve(nowMs: number, random: () => number): number {
    const slot = Math.max(nextSlotMs, nowMs);
    nextSlotMs = slot + gapMs;
    // Whole milliseconds, so window arithmetic is exact.
    let start = Math.max(Math.ceil(slot) + Math.floor(random() * jitterMs), lastStartMs);
    while (starts.length > 0 && starts[0] <= start - WINDOW_MS) starts.shift();
    if (starts.length >= requestsPerMinute) {
      start = starts[starts.length - requestsPerMinute] + WINDOW_MS;
      while (starts[0] <= start - WINDOW_MS) starts.shift();
    }
    starts.push(start);
    lastStartMs = start;
    return start;
  }

  return { reserve };
}
