/**
 * Where a drand pulse comes from: drand HTTP relays (`{url}/public/{round}`, DRAND_RELAY_URLS), tried in
 * order. A relay is not trusted: `openSealedPlan` verifies every pulse under the beacon key, so a lying
 * relay can only withhold. Before its round a relay answers 404/425: that is "no pulse yet" (null).
 * @module
 */
import { hexToBytes, type Pulse } from "../../chain/tlock/drand.ts";
import { DrandPulseResponseSchema } from "../../schemas/sealed_plan.ts";

/** A drand relay answers in milliseconds; a stuck one must not hold up the next. */
export const DRAND_RELAY_TIMEOUT_MS = 10_000;

/** Reads the pulse of a round; null when no source has it (yet). Throws only when every source failed. */
export interface PulseSource {
  pulse(round: bigint): Promise<Pulse | null>;
}

/** A pulse source over drand HTTP relays. */
export function createRelayPulseSource(
  urls: readonly string[],
  deps: { fetch: typeof fetch; timeoutMs: number },
): PulseSource {
  return {
    async pulse(round) {
      if (urls.length === 0) throw new TypeError("no drand relay configured (DRAND_RELAY_URLS)");
      const failures: string[] = [];
      let notYet = false;
      for (const url of urls) {
        try {
          const res = await deps.fetch(`${url.replace(/\/$/, "")}/public/${round}`, {
            signal: AbortSignal.timeout(deps.timeoutMs),
          });
          if (res.status === 404 || res.status === 425) {
            await res.body?.cancel();
            notYet = true;
            continue;
          }
          if (!res.ok) throw new TypeError(`HTTP ${res.status}`);
          const body = DrandPulseResponseSchema.parse(await res.json());
          if (BigInt(body.round) !== round) throw new TypeError(`answered round ${body.round}`);
          return { round, signature: hexToBytes(body.signature) };
        } catch (error) {
          failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (notYet) return null;
      throw new TypeError(`no drand relay answered for round ${round}: ${failures.join("; ")}`);
    },
  };
}
