/**
 * One route to the listing site: the machine's own address, an HTTP(S) proxy, or a scraping-API provider.
 * The paced fetcher spreads requests over exits, rests the ones that get blocked and retries on others.
 * @module
 */
import type { PageRequest, PageResponse } from "../../ports.ts";

/** A route to the site. `send` performs one request and reads the whole answer. */
export interface Exit {
  /** Names the exit in logs, metrics and `PageResponse.exit`; never holds credentials. */
  readonly name: string;
  /** Sends `request`; rejects on transport failures and when `signal` aborts (timeout or shutdown). */
  send(request: PageRequest, signal: AbortSignal): Promise<PageResponse>;
  /** Releases the exit's connections (proxy HTTP clients). */
  close?(): void;
}
