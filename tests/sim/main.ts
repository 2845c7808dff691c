/**
 * Serves the market simulator: `deno run -A tests/sim/main.ts`. Listens on MARKET_PORT plus every
 * MARKET_EXTRA_PORTS entry (one port = one proxy exit) and logs one JSON line per request to stdout.
 * @module
 */
import { marketClock, parseMarketEnv } from "./market_config.ts";
import type { ZipTableEntry } from "./market_registry.ts";
import { createMarketHandler } from "./server.ts";

function logLine(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

async function readZipTable(path: string | null): Promise<ZipTableEntry[] | undefined> {
  if (path === null) return undefined;
  const table = JSON.parse(await Deno.readTextFile(path));
  if (!Array.isArray(table)) {
    throw new TypeError(`Cannot read MARKET_ZIPS_FILE "${path}": expected a JSON array`);
  }
  return table;
}

async function main(): Promise<void> {
  const config = parseMarketEnv(Deno.env.toObject());
  const wallStart = new Date();
  const handler = createMarketHandler({
    ...config,
    zips: await readZipTable(config.zipsFile),
    marketTime: marketClock(config, wallStart),
    onRequest: (entry) => logLine({ level: "info", msg: "request", ...entry }),
  });
  for (const port of [config.port, ...config.extraPorts]) {
    Deno.serve({
      hostname: config.hostname,
      port,
      onListen: ({ hostname }) =>
        logLine({ level: "info", msg: "listening", hostname, port, seed: config.seed }),
    }, (request) => handler(request, { localPort: port }));
  }
  const { extraPorts, ...knobs } = config;
  logLine({
    level: "info",
    msg: "market started",
    ...knobs,
    extraPorts,
    marketStart: marketClock(config, wallStart)(wallStart),
  });
}

if (import.meta.main) await main();
