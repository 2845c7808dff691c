/**
 * The axon's per-caller limits (axon.ts steps 4 and 5): a token bucket per hotkey, and the book of verified
 * nonces per `{hotkey}:{uuid}` session with a cap on live sessions per hotkey. Both prune themselves as they
 * grow, so a flood of hotkeys or uuids costs bounded memory.
 * @module
 */
import { nonceExpiryNs, nonceKey } from "../../shared/synapse.ts";

const PRUNE_FLOOR = 1024;

/** Returns 0 when a call may proceed, otherwise the seconds until a token is back (for `Retry-After`). */
export type RateLimiter = (hotkey: string, nowMs: number) => number;

/** The verified nonces of live sessions. */
export interface NonceBook {
  /** A session's last verified nonce, or not ok when the hotkey already holds its maximum of live sessions. */
  open(
    hotkey: string,
    uuid: string,
    nowNs: bigint,
  ): { ok: true; lastNonce: bigint | undefined } | { ok: false };
  /** Records a verified nonce; call synchronously after `open` so two requests cannot pass one nonce. */
  remember(hotkey: string, uuid: string, nonce: bigint, nowNs: bigint): void;
}

/** A nonce book keeping at most `maxSessionsPerHotkey` live uuids per hotkey. */
export function createNonceBook(maxSessionsPerHotkey: number): NonceBook {
  const nonces = new Map<string, bigint>();
  const uuidsPerHotkey = new Map<string, number>();
  let pruneAt = PRUNE_FLOOR;
  /** Deletes expired nonces (all, or one hotkey's) and recounts the uuids per hotkey. */
  const prune = (nowNs: bigint, only?: string) => {
    const expiry = nonceExpiryNs(nowNs);
    for (const [k, n] of nonces) {
      if (n >= expiry || (only !== undefined && !k.startsWith(`${only}:`))) continue;
      nonces.delete(k);
      const hk = k.slice(0, k.indexOf(":"));
      uuidsPerHotkey.set(hk, (uuidsPerHotkey.get(hk) ?? 1) - 1);
    }
  };
  return {
    open(hotkey, uuid, nowNs) {
      const lastNonce = nonces.get(nonceKey(hotkey, uuid));
      if (lastNonce === undefined && (uuidsPerHotkey.get(hotkey) ?? 0) >= maxSessionsPerHotkey) {
        prune(nowNs, hotkey);
        if ((uuidsPerHotkey.get(hotkey) ?? 0) >= maxSessionsPerHotkey) return { ok: false };
      }
      return { ok: true, lastNonce };
    },
    remember(hotkey, uuid, nonce, nowNs) {
      const key = nonceKey(hotkey, uuid);
      if (!nonces.has(key)) uuidsPerHotkey.set(hotkey, (uuidsPerHotkey.get(hotkey) ?? 0) + 1);
      nonces.set(key, nonce);
      if (nonces.size >= pruneAt) {
        prune(nowNs);
        pruneAt = Math.max(PRUNE_FLOOR, nonces.size * 2);
      }
    },
  };
}

/**
 * A token bucket per hotkey: `perMinute` calls of burst, refilled evenly. Returns 0 when the call may
 * proceed, otherwise the seconds until a token is back (for `Retry-After`).
 */
export function createRateLimiter(perMinute: number): RateLimiter {
  if (!Number.isFinite(perMinute)) return () => 0;
  if (!(perMinute > 0)) throw new RangeError("rateLimitPerMinute must be positive (Infinity: no limit)");
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let pruneAt = PRUNE_FLOOR;
  return (hotkey, nowMs) => {
    if (buckets.size >= pruneAt) {
      for (const [k, b] of buckets) {
        if (b.tokens + (nowMs - b.at) * refillPerMs >= perMinute) buckets.delete(k);
      }
      pruneAt = Math.max(PRUNE_FLOOR, buckets.size * 2);
    }
    const bucket = buckets.get(hotkey) ?? { tokens: perMinute, at: nowMs };
    bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * refillPerMs);
    bucket.at = nowMs;
    buckets.set(hotkey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
  };
}
