/**
 * Builds the fetch stack from the config knobs: the one call the miner and the validator make.
 *
 * - exits: one proxy exit per distinct URL of PROXY_URLS plus PROXY_FILE (one per line, `#` comments),
 *   or the direct exit when there is none; the machine's own address is never mixed with proxies;
 * - SCRAPER_API_URL_TEMPLATE set: a scraping-API exit for the SCRAPER_API_KINDS pages;
 * - pacing, retries, cool-downs and the block stop from the FETCH_* and BLOCK knobs.
 *
 * `close()` on the result releases the proxies' HTTP clients.
 * @module
 */
import type { Logger } from "../../log.ts";
import type { Registry } from "../../metrics.ts";
import type { Clock, PageKind } from "../../ports.ts";
import type { FetchConfig } from "./config.ts";
import { createDirectExit } from "./direct_exit.ts";
import type { Exit } from "./exit.ts";
import { createPacedFetcher, type PacedFetcher } from "./paced_fetcher.ts";
import { createProxyExit, parseProxyUrl } from "./proxy_exit.ts";
import { createScrapingApiExit } from "./scraping_api_exit.ts";
import { type Sleep, timerSleep } from "./sleep.ts";

/** What the stack needs from its shell; clock, sleep, randomness and file reads default to the real ones. */
export interface FetchStackDeps {
  logger: Logger;
  metrics: Registry;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  readTextFile?: (path: string) => Promise<string>;
}

async function proxyUrls(config: FetchConfig, readTextFile: (path: string) => Promise<string>) {
  const listed = config.PROXY_URLS.split(",");
  if (config.PROXY_FILE !== "") {
    let text: string;
    try {
      text = await readTextFile(config.PROXY_FILE);
    } catch (error) {
      throw new Error(`Cannot read PROXY_FILE "${config.PROXY_FILE}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    listed.push(...text.split("\n").filter((line) => !line.trim().startsWith("#")));
  }
  const urls = [...new Set(listed.map((url) => url.trim()).filter((url) => url !== ""))];
  // Check every URL before any HTTP client exists, so a bad line leaks nothing.
  return urls.map((url) => ({ url, address: parseProxyUrl(url).address }));
}

/** Builds the paced fetcher over the exits the config describes. */
export async function createFetchStack(config: FetchConfig, deps: FetchStackDeps): Promise<PacedFetcher> {
  const clock = deps.clock ?? { now: () => new Date() };
  const proxies = await proxyUrls(config, deps.readTextFile ?? Deno.readTextFile);
  const scraperApi = config.SCRAPER_API_URL_TEMPLATE === "" ? undefined : {
    exit: createScrapingApiExit({ template: config.SCRAPER_API_URL_TEMPLATE, key: config.SCRAPER_API_KEY }),
    // The knob's schema admits only page kinds.
    kinds: config.SCRAPER_API_KINDS as PageKind[],
  };
  const exits: Exit[] = proxies.length === 0
    ? [createDirectExit({ clock })]
    : proxies.map((proxy, i) =>
      createProxyExit(proxy.url, { name: `proxy-${i + 1}:${proxy.address}`, clock })
    );
  deps.logger.info("fetch stack ready", {
    exits: exits.map((exit) => exit.name),
    scraperApi: scraperApi ? { exit: scraperApi.exit.name, kinds: scraperApi.kinds } : null,
    requestsPerMinute: config.REQUESTS_PER_MINUTE,
    concurrency: config.FETCH_CONCURRENCY,
  });
  return createPacedFetcher({
    exits,
    scraperApi,
    requestsPerMinute: config.REQUESTS_PER_MINUTE,
    concurrency: config.FETCH_CONCURRENCY,
    jitterMs: config.FETCH_JITTER_MS,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    retries: config.FETCH_RETRIES,
    blockCooldownMs: config.BLOCK_COOLDOWN_SECONDS * 1000,
    maxConsecutiveBlocks: config.MAX_CONSECUTIVE_BLOCKS,
    clock,
    sleep: deps.sleep ?? timerSleep,
    random: deps.random ?? Math.random,
    logger: deps.logger,
    metrics: deps.metrics,
  });
}
