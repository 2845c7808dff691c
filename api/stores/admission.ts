/**
 * Replay protection and per-hotkey rate limits, decided together after the signature is verified:
 * one KV read of the signature's replay mark and the hotkey's window counter, then one atomic commit that
 * marks the signature used and counts the request. A signature is therefore accepted exactly once (the
 * commit fails if a racing request marked it first), and only authenticated requests use a hotkey's quota.
 * Counters use fixed one-minute windows; concurrent requests may overshoot a limit by a few, never by more
 * than the requests in flight.
 * @module
 */
import { kvKeys } from "./kv_keys.ts";
import { withKvRetry } from "./kv_retry.ts";

const WINDOW_MS = 60_000;
const MAX_ATTEMPTS = 5;

/** One authenticated request to admit. */
export interface AdmissionRequest {
  signature: string;
  hotkey: string;
  routeClass: "miner" | "validator";
  limitPerMinute: number;
  nowMs: number;
  /** Until when the signature could still pass the timestamp check, i.e. how long to remember it. */
  replayUntilMs: number;
}

/** The verdict, with what the `X-RateLimit-*` headers report. */
export type Admission =
  | { ok: true; limit: number; remaining: number; resetMs: number }
  | { ok: false; reason: "replayed" }
  | { ok: false; reason: "rate_limited"; limit: number; resetMs: number };

/** The replay-cache key of a signature: lower-case hex without `0x`, so re-encodings collide. */
export function normaliseSignature(signature: string): string {
  return (signature.startsWith("0x") ? signature.slice(2) : signature).toLowerCase();
}

/** Admits or refuses a request whose signature has already been verified. */
export async function admit(kv: Deno.Kv, req: AdmissionRequest): Promise<Admission> {
  const windowStart = Math.floor(req.nowMs / WINDOW_MS) * WINDOW_MS;
  const resetMs = windowStart + WINDOW_MS;
  const replayKey = kvKeys.replay(normaliseSignature(req.signature));
  const rateKey = kvKeys.rate(req.routeClass, req.hotkey, windowStart);
  const expireIn = Math.max(1, req.replayUntilMs - req.nowMs);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [replay, rate] = await withKvRetry(() =>
      kv.getMany<[{ expiresAt: number }, Deno.KvU64]>([replayKey, rateKey])
    );
    if (replay.value && replay.value.expiresAt > req.nowMs) return { ok: false, reason: "replayed" };
    const used = Number(rate.value?.value ?? 0n);
    if (used >= req.limitPerMinute) {
      return { ok: false, reason: "rate_limited", limit: req.limitPerMinute, resetMs };
    }
    const commit = await withKvRetry(() =>
      kv.atomic()
        .check(replay)
        .set(replayKey, { expiresAt: req.replayUntilMs }, { expireIn })
        .sum(rateKey, 1n)
        .commit()
    );
    if (commit.ok) {
      return {
        ok: true,
        limit: req.limitPerMinute,
        remaining: Math.max(0, req.limitPerMinute - used - 1),
        resetMs,
      };
    }
    // A failed check means the replay entry changed under us: either a racing request used this signature
    // (the next read sees it and refuses) or another writer touched the key; read again and retry.
  }
  throw new Error(`Cannot admit a request: KV commit kept conflicting after ${MAX_ATTEMPTS} attempts`);
}

/** Deletes rate windows that ended before `nowMs - WINDOW_MS`; returns how many. */
export async function purgeRateWindows(kv: Deno.Kv, nowMs: number): Promise<number> {
  let removed = 0;
  for await (const entry of kv.list({ prefix: kvKeys.rates() })) {
    if ((entry.key[3] as number) + 2 * WINDOW_MS < nowMs) {
      await kv.delete(entry.key);
      removed++;
    }
  }
  return removed;
}
