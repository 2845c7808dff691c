/**
 * Budget utilisation of the fetch stack: how much of a fixed request budget the paced fetcher actually
 * spends, against the market simulator on real sockets with its extra ports as proxy exits.
 *
 *     deno run -A tests/bench/fetch_budget.ts [--seconds 30] [--exits 2] [--rpm 120] [--jitter 250]
 *                                             [--concurrency 2] [--latency 20] [--callers 8]
 *
 * The budget is exits x rpm x seconds / 60 requests. The simulator enforces the same per-minute limit per
 * exit (429 past it), so overshooting shows up as 429s. Prints the share of the budget the site received
 * within the window (target >= 95 %), pages/s, the busiest minute per exit, and any 429s or blocks.
 * @module
 */
import { parseMinerConfig } from "../../miner/config.ts";
import { createLogger } from "../../shared/log.ts";
import { createRegistry } from "../../shared/metrics.ts";
import { createFetchStack } from "../../shared/adapters/fetch/fetch_stack.ts";
import { serveMarket } from "../harness/market_server.ts";
import type { RequestLogEntry } from "../sim/server.ts";

const args = new Map<string, string>();
for (let i = 0; i < Deno.args.length; i += 2) args.set(Deno.args[i].replace(/^--/, ""), Deno.args[i + 1]);
const seconds = Number(args.get("seconds") ?? 30);
const exits = Number(args.get("exits") ?? 2);
const rpm = Number(args.get("rpm") ?? 120);
const jitter = Number(args.get("jitter") ?? 250);
const concurrency = Number(args.get("concurrency") ?? 2);
const latency = Number(args.get("latency") ?? 20);
const callers = Number(args.get("callers") ?? 8);

const received: RequestLogEntry[] = [];
const market = serveMarket({
  extraPorts: exits,
  latencyMs: latency,
  rateLimitPerMinute: rpm,
  onRequest: (entry) => received.push(entry),
});
const config = parseMinerConfig({
  PROXY_URLS: market.proxyUrls.join(","),
  REQUESTS_PER_MINUTE: String(rpm),
  FETCH_CONCURRENCY: String(concurrency),
  FETCH_JITTER_MS: String(jitter),
});
const fetcher = await createFetchStack(config, {
  logger: createLogger({
    sink: (line) => console.error(line),
    level: "warn",
    clock: { now: () => new Date() },
  }),
  metrics: createRegistry(),
});

// Search pages of 20 ZIPs x 20 pages, in order; the simulator's market is the same for every exit.
let next = 0;
function nextUrl(): string {
  const n = next++;
  return `http://www.zillow.test/homes/for_sale/${77001 + (n % 20)}_rb/${Math.floor(n / 20) % 20 + 1}_p/`;
}

const startMs = Date.now();
const deadlineMs = startMs + seconds * 1000;
let pages = 0;
async function caller(): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      const page = await fetcher.fetch({ url: nextUrl(), kind: "search" });
      if (page.status === 200 && Date.now() <= deadlineMs) pages++;
    } catch (error) {
      if (!/fetcher is closed/.test((error as Error).message)) throw error;
    }
  }
}
const running = Array.from({ length: callers }, caller);
await new Promise((resolve) => setTimeout(resolve, deadlineMs - Date.now()));
fetcher.close();
await Promise.all(running);
await market.shutdown();

const inWindow = received.filter((entry) => Date.parse(entry.time) < deadlineMs);
const budget = (exits * rpm * seconds) / 60;
const byClient = Map.groupBy(inWindow, (entry) => entry.client);
function busiestMinute(times: number[]): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j] <= times[i] - 60_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}
console.log(
  `fetch budget: ${exits} exits x ${rpm}/min for ${seconds} s (jitter ${jitter} ms, latency ~${latency} ms)`,
);
console.log(`  budget            ${budget} requests`);
console.log(
  `  sent (site view)  ${inWindow.length} requests = ${
    (100 * inWindow.length / budget).toFixed(1)
  } % of budget`,
);
console.log(`  pages             ${pages} ok = ${(pages / seconds).toFixed(2)} pages/s`);
for (const [client, entries] of byClient) {
  const times = entries.map((entry) => Date.parse(entry.time)).sort((a, b) => a - b);
  console.log(
    `  ${client.padEnd(18)}${entries.length} requests, busiest minute ${busiestMinute(times)}/${rpm}`,
  );
}
console.log(
  `  429s ${inWindow.filter((e) => e.status === 429).length}, blocks ${
    inWindow.filter((e) => e.outcome === "blocked").length
  }`,
);
