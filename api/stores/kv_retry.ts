/**
 * Retries a KV operation that failed because another isolate held the SQLite write lock. Only self-hosted
 * APIs with API_WORKERS > 1 share a KV file this way (Deno Deploy's KV does not lock like this); the
 * retry is bounded and jittered so a stuck database still surfaces as an error.
 * @module
 */

const ATTEMPTS = 8;
const BASE_DELAY_MS = 2;

function isLockError(error: unknown): boolean {
  return error instanceof TypeError && /database is (locked|busy)/i.test(error.message);
}

/** Runs `operation`, retrying lock conflicts with a short jittered backoff. */
export async function withKvRetry<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isLockError(error) || attempt >= ATTEMPTS) throw error;
      // Jitter keeps isolates from retrying in lock-step; it needs no determinism.
      await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * attempt * (1 + Math.random())));
    }
  }
}
