/**
 * The `PageFetcher` the miner's crawler and the validator's spot checker share. It spreads requests over
 * exits (direct, proxies, a scraping API) and keeps each exit polite:
 *
 * - routing: kinds listed for the scraping API go through it when one is configured; the rest go through
 *   the plain exits;
 * - selection: the least-loaded exit that is not resting; a retry prefers an exit the request has not
 *   tried; when every exit rests, the request waits for the first to come back;
 * - pacing: per exit a p-queue holds FETCH_CONCURRENCY requests in flight and a `send_pacer.ts` books
 *   starts under REQUESTS_PER_MINUTE with jitter. The pacer, not p-queue's `interval`, keeps the budget,
 *   because p-queue's interval runs on `Date.now` and timers that an injected clock cannot drive;
 * - outcomes (`shared/listing_site/blocks.ts`): ok and not_found are answers (404 is for the crawler
 *   to judge); a block rests the exit for BLOCK_COOLDOWN_SECONDS; a 429 rests it for its `retry-after`;
 *   blocks, 429s, 5xx and transport failures are retried up to FETCH_RETRIES times with exponential
 *   backoff and full jitter, on an exit the request has not tried when there is one;
 *   MAX_CONSECUTIVE_BLOCKS blocks in a row stop the fetcher with `ScrapeBlockedError`.
 *
 * When retries run out the last answer is returned (a block stays a block for the caller's classifier);
 * only when no attempt got an answer does `fetch` reject, with `PageFetchError`. Errors other than
 * transport failures (for example `ScraperApiError`) propagate at once.
 * @module
 */
import PQueue from "p-queue";
import type { Logger } from "../../log.ts";
import type { Counter, Registry } from "../../metrics.ts";
import { classifyPage, type PageStatus } from "../../listing_site/blocks.ts";
import type { Clock, PageFetcher, PageKind, PageRequest, PageResponse } from "../../ports.ts";
import type { Exit } from "./exit.ts";
import { PageFetchError, ScrapeBlockedError } from "./fetch_errors.ts";
import { retryAfterMs } from "./retry_after.ts";
import { createSendPacer, type SendPacer } from "./send_pacer.ts";
import type { Sleep } from "./sleep.ts";

/** Options of `createPacedFetcher`; the knob each one comes from is named. */
export interface PacedFetcherOptions {
  /** Plain exits (direct or proxies), used for every kind the scraping API does not take. */
  exits: readonly Exit[];
  /** The scraping-API exit and the kinds it serves (SCRAPER_API_KINDS). */
  scraperApi?: { exit: Exit; kinds: readonly PageKind[] };
  /** REQUESTS_PER_MINUTE, per exit. */
  requestsPerMinute: number;
  /** FETCH_CONCURRENCY, per exit. */
  concurrency: number;
  /** FETCH_JITTER_MS. */
  jitterMs: number;
  /** FETCH_TIMEOUT_MS, per attempt. */
  timeoutMs: number;
  /** FETCH_RETRIES. */
  retries: number;
  /** BLOCK_COOLDOWN_SECONDS, in ms. */
  blockCooldownMs: number;
  /** MAX_CONSECUTIVE_BLOCKS. */
  maxConsecutiveBlocks: number;
  /** Ceiling of the first retry's backoff; it doubles per retry. @default 5000 */
  backoffBaseMs?: number;
  /** @default 120000 */
  backoffCapMs?: number;
  clock: Clock;
  sleep: Sleep;
  /** Draws jitter and backoff, in [0, 1). */
  random: () => number;
  logger: Logger;
  metrics: Registry;
}

/** How one attempt ended: a page outcome, or "failed" when it got no answer. */
export type AttemptOutcome = PageStatus | "failed";

/** Counters of one exit. */
export interface ExitStats {
  name: string;
  /** Attempts sent through the exit, by outcome. */
  outcomes: Record<AttemptOutcome, number>;
  /** Requests waiting for a slot on the exit. */
  queued: number;
  /** Requests holding a slot (waiting for their paced start or in flight). */
  running: number;
  /** When the exit's rest after a block or 429 ends, or null. */
  restingUntil: Date | null;
}

/** What the fetcher has done so far. */
export interface FetcherStats {
  /** `fetch` calls. */
  requests: number;
  retries: number;
  consecutiveBlocks: number;
  /** True once MAX_CONSECUTIVE_BLOCKS stopped the fetcher. */
  stopped: boolean;
  exits: ExitStats[];
}

/** The paced fetcher. `close()` aborts waiting and running requests and releases the exits. */
export interface PacedFetcher extends PageFetcher {
  stats(): FetcherStats;
  close(): void;
}

interface Lane {
  exit: Exit;
  queue: PQueue;
  pacer: SendPacer;
  restUntilMs: number;
  lastPick: number;
  outcomes: Record<AttemptOutcome, number>;
}

type Attempt =
  | { outcome: PageStatus; response: PageResponse }
  | { outcome: "failed"; error: Error };

// A 429 without a readable retry-after rests the exit one rate-limit window.
const DEFAULT_RATE_LIMIT_REST_MS = 60_000;
// A task that found its exit resting goes back to selection without spending an attempt.
const BOUNCED = Symbol("bounced");

function emptyOutcomes(): Record<AttemptOutcome, number> {
  return { ok: 0, blocked: 0, rate_limited: 0, not_found: 0, error: 0, failed: 0 };
}

// Fetch's network errors are TypeErrors; a timeout is a TimeoutError DOMException.
function isTransportError(error: unknown): error is Error {
  return error instanceof TypeError || (error instanceof DOMException && error.name === "TimeoutError");
}

/** The fetcher's lanes, counters and closing signal, shared by the steps below. */
interface State {
  options: PacedFetcherOptions;
  plainLanes: Lane[];
  apiLanes: Lane[];
  apiKinds: ReadonlySet<PageKind>;
  allLanes: Lane[];
  closing: AbortController;
  metrics: { requests: Counter; retries: Counter; rests: Counter };
  stopped: ScrapeBlockedError | null;
  consecutiveBlocks: number;
  picks: number;
  requests: number;
  retries: number;
}

/** Creates the fetcher over `options.exits` (and the scraping-API exit, if any). */
export function createPacedFetcher(options: PacedFetcherOptions): PacedFetcher {
  if (options.exits.length === 0) throw new TypeError("Cannot create a paced fetcher: no exits");
  const metrics = {
    requests: options.metrics.counter(
      "zipmine_fetch_requests_total",
      "Listing-site requests by exit, page kind and outcome (blocked, rate_limited, ...)",
    ),
    retries: options.metrics.counter(
      "zipmine_fetch_retries_total",
      "Retries by page kind and reason",
    ),
    rests: options.metrics.counter(
      "zipmine_fetch_exit_rests_total",
      "Exits rested after a block or a 429, by exit and reason",
    ),
  };
  const makeLane = (exit: Exit): Lane => ({
    exit,
    queue: new PQueue({ concurrency: options.concurrency }),
    pacer: createSendPacer({ requestsPerMinute: options.requestsPerMinute, jitterMs: options.jitterMs }),
    restUntilMs: -Infinity,
    lastPick: 0,
    outcomes: emptyOutcomes(),
  });
  const plainLanes = options.exits.map(makeLane);
  const apiLanes = options.scraperApi ? [makeLane(options.scraperApi.exit)] : [];
  const s: State = {
    options,
    plainLanes,
    apiLanes,
    apiKinds: new Set(options.scraperApi?.kinds ?? []),
    allLanes: [...plainLanes, ...apiLanes],
    closing: new AbortController(),
    metrics,
    stopped: null,
    consecutiveBlocks: 0,
    picks: 0,
    requests: 0,
    retries: 0,
  };
  return { fetch: (request) => fetchPage(s, request), stats: () => stats(s), close: () => close(s) };
}

const nowMs = (s: State) => s.options.clock.now().getTime();
const load = (lane: Lane) => lane.queue.size + lane.queue.pending;
const resting = (s: State, lane: Lane) => lane.restUntilMs > nowMs(s);

function ensureOpen(s: State): void {
  if (s.closing.signal.aborted) throw s.closing.signal.reason;
  if (s.stopped) throw s.stopped;
}

async function pickLane(s: State, kind: PageKind, tried: ReadonlySet<Lane>): Promise<Lane> {
  const lanes = s.apiLanes.length > 0 && s.apiKinds.has(kind) ? s.apiLanes : s.plainLanes;
  for (;;) {
    ensureOpen(s);
    const ready = lanes.filter((lane) => !resting(s, lane));
    if (ready.length > 0) {
      const untried = ready.filter((lane) => !tried.has(lane));
      const pool = untried.length > 0 ? untried : ready;
      const best = pool.reduce((a, b) =>
        load(b) < load(a) || (load(b) === load(a) && b.lastPick < a.lastPick) ? b : a
      );
      best.lastPick = ++s.picks;
      return best;
    }
    const waitMs = Math.min(...lanes.map((lane) => lane.restUntilMs)) - nowMs(s);
    s.options.logger.debug("every exit is resting", { kind, waitMs });
    await s.options.sleep(waitMs, s.closing.signal);
  }
}

async function send(s: State, lane: Lane, request: PageRequest): Promise<Attempt> {
  const { closing, options } = s;
  // One controller per attempt, unhooked afterwards: AbortSignal.any would tie every attempt's signal
  // to the long-lived closing signal.
  const attempt = new AbortController();
  const onClose = () => attempt.abort(closing.signal.reason);
  closing.signal.addEventListener("abort", onClose, { once: true });
  const timer = setTimeout(
    () => attempt.abort(new DOMException(`Timed out after ${options.timeoutMs} ms`, "TimeoutError")),
    options.timeoutMs,
  );
  try {
    const response = await lane.exit.send(request, attempt.signal);
    return { outcome: classifyPage(response, request.kind).status, response };
  } catch (error) {
    if (closing.signal.aborted) throw closing.signal.reason;
    if (!isTransportError(error)) throw error;
    return { outcome: "failed", error };
  } finally {
    clearTimeout(timer);
    closing.signal.removeEventListener("abort", onClose);
  }
}

function attemptOn(s: State, lane: Lane, request: PageRequest): Promise<Attempt | typeof BOUNCED> {
  return lane.queue.add(async () => {
    if (resting(s, lane) || s.stopped) return BOUNCED;
    const waitMs = lane.pacer.reserve(nowMs(s), s.options.random) - nowMs(s);
    if (waitMs > 0) await s.options.sleep(waitMs, s.closing.signal);
    // The exit may have been rested while this request waited for its start.
    if (resting(s, lane) || s.stopped) return BOUNCED;
    return await send(s, lane, request);
  }, { signal: s.closing.signal });
}

function rest(s: State, lane: Lane, ms: number, reason: "blocked" | "rate_limited"): void {
  lane.restUntilMs = Math.max(lane.restUntilMs, nowMs(s) + ms);
  s.metrics.rests.inc({ exit: lane.exit.name, reason });
  s.options.logger.warn("exit resting", { exit: lane.exit.name, reason, restSeconds: Math.round(ms / 1000) });
}

/** Applies an attempt's outcome; returns true when the answer is final. */
function settle(s: State, lane: Lane, attempt: Attempt): boolean {
  switch (attempt.outcome) {
    case "ok":
    case "not_found":
      s.consecutiveBlocks = 0;
      return true;
    case "blocked":
      rest(s, lane, s.options.blockCooldownMs, "blocked");
      if (++s.consecutiveBlocks >= s.options.maxConsecutiveBlocks) {
        s.stopped = new ScrapeBlockedError(s.consecutiveBlocks, s.allLanes.map((other) => other.exit.name));
        s.options.logger.error("scraping stopped", {
          consecutiveBlocks: s.consecutiveBlocks,
          error: s.stopped.message,
        });
        throw s.stopped;
      }
      return false;
    case "rate_limited": {
      const asked = retryAfterMs(attempt.response.headers["retry-after"], nowMs(s));
      rest(s, lane, asked ?? DEFAULT_RATE_LIMIT_REST_MS, "rate_limited");
      return false;
    }
    case "error":
      // Server errors may pass; other 4xx will not change on another exit.
      return attempt.response.status < 500;
    case "failed":
      return false;
  }
}

function backoffMs(s: State, retry: number): number {
  const baseMs = s.options.backoffBaseMs ?? 5_000;
  const capMs = s.options.backoffCapMs ?? 120_000;
  return Math.floor(s.options.random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

async function fetchPage(s: State, request: PageRequest): Promise<PageResponse> {
  const { options } = s;
  ensureOpen(s);
  s.requests++;
  const tried = new Set<Lane>();
  let last: Attempt | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (last) {
      s.retries++;
      s.metrics.retries.inc({ kind: request.kind, reason: last.outcome });
      await options.sleep(backoffMs(s, attempt), s.closing.signal);
    }
    let lane: Lane;
    let result: Attempt | typeof BOUNCED;
    do {
      lane = await pickLane(s, request.kind, tried);
      result = await attemptOn(s, lane, request);
    } while (result === BOUNCED);
    tried.add(lane);
    last = result;
    lane.outcomes[result.outcome]++;
    s.metrics.requests.inc({ exit: lane.exit.name, kind: request.kind, outcome: result.outcome });
    options.logger.debug("page attempt", {
      exit: lane.exit.name,
      kind: request.kind,
      url: request.url,
      attempt,
      outcome: result.outcome,
      status: "response" in result ? result.response.status : undefined,
      error: "error" in result ? result.error.message : undefined,
    });
    if (settle(s, lane, result) && "response" in result) return result.response;
  }
  if (last && "response" in last) return last.response;
  throw new PageFetchError(request.url, options.retries + 1, { cause: last?.error });
}

function stats(s: State): FetcherStats {
  return {
    requests: s.requests,
    retries: s.retries,
    consecutiveBlocks: s.consecutiveBlocks,
    stopped: s.stopped !== null,
    exits: s.allLanes.map((lane) => ({
      name: lane.exit.name,
      outcomes: { ...lane.outcomes },
      queued: lane.queue.size,
      running: lane.queue.pending,
      restingUntil: resting(s, lane) ? new Date(lane.restUntilMs) : null,
    })),
  };
}

function close(s: State): void {
  if (s.closing.signal.aborted) return;
  s.closing.abort(new Error("Cannot fetch: the fetcher is closed"));
  for (const lane of s.allLanes) {
    lane.queue.clear();
    lane.exit.close?.();
  }
}
