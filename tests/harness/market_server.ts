/**
 * The market simulator on real sockets for the fetch tests and the budget benchmark: a main port (the
 * site) and extra ports that answer absolute-form requests, as `tests/sim/main.ts` does, so each extra
 * port works as one forward-proxy exit for plain-http targets (`proxy:<user>` or `port:<n>` clients).
 * @module
 */
import { createMarketHandler, type MarketHandler, type MarketHandlerOptions } from "../sim/server.ts";

/** A running simulator. */
export interface MarketServer {
  /** The site's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** One `http://127.0.0.1:<port>` proxy URL per extra port. */
  proxyUrls: string[];
  handler: MarketHandler;
  shutdown(): Promise<void>;
}

/** Serves a market handler on `1 + extraPorts` loopback ports chosen by the system. */
export function serveMarket(
  options: Partial<MarketHandlerOptions> & { extraPorts?: number } = {},
): MarketServer {
  const { extraPorts = 0, ...handlerOptions } = options;
  const handler = createMarketHandler({ seed: "fetch-test", defaultExpected: 60, ...handlerOptions });
  const servers = Array.from({ length: 1 + extraPorts }, () => {
    const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (request) => handler(request, { localPort: server.addr.port }),
    );
    return server;
  });
  const [site, ...proxies] = servers.map((server) => `http://127.0.0.1:${server.addr.port}`);
  return {
    origin: site,
    proxyUrls: proxies,
    handler,
    shutdown: async () => void await Promise.all(servers.map((server) => server.shutdown())),
  };
}
