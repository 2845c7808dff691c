/**
 * A scraping-API provider on a loopback port for tests: checks `api_key`, fetches `url` from a market
 * handler in-process (as client `scraper-api`) and answers ScrapingBee-style (`style=spb`: status 200 or
 * 500 with `spb-initial-status-code` and `spb-resolved-url`) or transparently (the target's status).
 * @module
 */
import type { MarketHandler } from "../sim/server.ts";
import { browserHeaders } from "../../shared/adapters/fetch/browser_headers.ts";

/** A running fake provider. */
export interface FakeScrapingApi {
  /** `SCRAPER_API_URL_TEMPLATE` for the given answer style. */
  template(style: "spb" | "transparent"): string;
  /** Every provider URL received, in order. */
  calls: URL[];
  shutdown(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function fetchTarget(market: MarketHandler, target: string, request: Request) {
  let url = new URL(target);
  const init = { method: request.method, body: request.method === "GET" ? undefined : await request.text() };
  let initial = 0;
  for (let hop = 0;; hop++) {
    const headers = { ...browserHeaders({ url: url.href, kind: "search" }), "x-sim-client": "scraper-api" };
    const response = await market(new Request(url, { ...init, headers }));
    initial ||= response.status;
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || location === null || hop === 5) {
      return { initial, final: response, url };
    }
    await response.body?.cancel();
    url = new URL(location, url);
  }
}

/** Serves a fake provider that accepts only `key`. */
export function serveScrapingApi(options: { key: string; market: MarketHandler }): FakeScrapingApi {
  const calls: URL[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const url = new URL(request.url);
    calls.push(url);
    if (url.searchParams.get("api_key") !== options.key) {
      return new Response('{"message":"Invalid api key"}', { status: 401 });
    }
    const { initial, final, url: finalUrl } = await fetchTarget(
      options.market,
      url.searchParams.get("url")!,
      request,
    );
    const body = await final.text();
    if (url.searchParams.get("style") === "transparent") {
      return new Response(body, { status: final.status, headers: final.headers });
    }
    return new Response(body, {
      status: final.status < 400 ? 200 : 500,
      headers: {
        "content-type": final.headers.get("content-type") ?? "text/html",
        "spb-initial-status-code": String(initial),
        "spb-resolved-url": finalUrl.href,
      },
    });
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    template: (style) => `${origin}/api/v1/?api_key={key}&url={url}&style=${style}`,
    calls,
    shutdown: () => server.shutdown(),
  };
}
