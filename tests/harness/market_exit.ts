/**
 * An exit that calls a market handler in-process, as simulator client `x-sim-client: <name>`, with the
 * browser headers of the real exits. Redirects come back as they are. For the paced fetcher's tests.
 * @module
 */
import type { PageRequest, PageResponse } from "../../shared/ports.ts";
import type { MarketHandler } from "../sim/server.ts";
import { browserHeaders } from "../../shared/adapters/fetch/browser_headers.ts";
import type { Exit } from "../../shared/adapters/fetch/exit.ts";

/** An in-process exit that also counts its sends. */
export interface MarketExit extends Exit {
  readonly sent: PageRequest[];
  closed: boolean;
}

/** Creates an exit named `name` in front of `handler`. */
export function createMarketExit(name: string, handler: MarketHandler): MarketExit {
  const exit: MarketExit = {
    name,
    sent: [],
    closed: false,
    async send(request: PageRequest, signal: AbortSignal): Promise<PageResponse> {
      exit.sent.push(request);
      const response = await handler(
        new Request(request.url, {
          method: request.method ?? "GET",
          body: request.body,
          headers: { ...browserHeaders(request), "x-sim-client": name },
          signal,
        }),
      );
      return {
        status: response.status,
        url: request.url,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
        exit: name,
      };
    },
    close() {
      exit.closed = true;
    },
  };
  return exit;
}
