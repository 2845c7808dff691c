/**
 * The network pause switch (`deno task admin pause|resume`). While paused, `/current` answers 503 so no new
 * work is handed out; everything else keeps working so validators can finish judging.
 * @module
 */
import { kvKeys } from "./kv_keys.ts";
import type { Clock } from "../../shared/ports.ts";

/** The stored switch. */
export interface PauseState {
  paused: boolean;
  changedAtMs: number;
  reason: string;
}

/** True while the network is paused. */
export async function isPaused(kv: Deno.Kv): Promise<boolean> {
  return (await kv.get<PauseState>(kvKeys.paused())).value?.paused ?? false;
}

/** Sets the switch and returns the new state. */
export async function setPaused(
  kv: Deno.Kv,
  paused: boolean,
  nowMs: number,
  reason: string,
): Promise<PauseState> {
  const state = { paused, changedAtMs: nowMs, reason };
  await kv.set(kvKeys.paused(), state);
  return state;
}

/** The stored state, or "not paused" when never set. */
export async function pauseState(kv: Deno.Kv): Promise<PauseState> {
  return (await kv.get<PauseState>(kvKeys.paused())).value ?? { paused: false, changedAtMs: 0, reason: "" };
}

/**
 * A pause check for the hot path: reads KV at most once per `ttlMs` (the switch is an operator action,
 * so a second of delay is fine, and it saves a KV read per `/current`).
 */
export function cachedPauseCheck(kv: Deno.Kv, clock: Clock, ttlMs = 1000): () => Promise<boolean> {
  let cached: { atMs: number; paused: Promise<boolean> } | null = null;
  return () => {
    const nowMs = clock.now().getTime();
    if (!cached || nowMs - cached.atMs >= ttlMs) cached = { atMs: nowMs, paused: isPaused(kv) };
    return cached.paused;
  };
}
