/**
 * The API's heartbeats (issue 18): one KV entry per 5-second slot in which the API ran, written by the
 * minute job, a timer and every receipt listing. Outage receipts (`shared/outage_receipts.ts`) read them to
 * decide when the API was down. Kept for 8 days: an epoch's receipts are listed until its validation
 * window ends, and SigV4 policies live at most 7 days.
 * @module
 */
import { kvKeys } from "./kv_keys.ts";

const SLOT_MS = 5_000;
const KEEP_MS = 8 * 24 * 3600 * 1000;

/** Records that the API is running at `nowMs`. */
export async function recordHeartbeat(kv: Deno.Kv, nowMs: number): Promise<void> {
  const slot = nowMs - (nowMs % SLOT_MS);
  await kv.set(kvKeys.heartbeat(slot), nowMs, { expireIn: KEEP_MS });
}

/** The heartbeat times (ms) within `[fromMs, untilMs]`. */
export async function heartbeatsBetween(kv: Deno.Kv, fromMs: number, untilMs: number): Promise<number[]> {
  const out: number[] = [];
  const start = kvKeys.heartbeat(fromMs - (fromMs % SLOT_MS) - SLOT_MS);
  const end = kvKeys.heartbeat(untilMs + SLOT_MS);
  for await (const e of kv.list<number>({ start, end })) {
    if (e.value >= fromMs && e.value <= untilMs) out.push(e.value);
  }
  return out;
}
