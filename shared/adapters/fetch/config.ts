/**
 * The knobs of fetching the listing site: the miner's crawler and the validator's spot checks share the fetch
 * stack (`fetch_stack.ts`) and these.
 * @module
 */
import { z } from "zod";
import { integer, knob, type Resolved, url } from "../../config.ts";

export const FETCH_KNOBS = {
  LISTING_SITE_URL: knob(
    url,
    "https://www.zillow.com",
    "Base URL of the listing site (the simulator's in tests)",
    [
      "miner",
      "validator",
    ],
  ),
  PROXY_URLS: knob(
    z.string().trim(),
    "",
    "Comma-separated HTTP(S) proxy URLs; each is one exit with its own pacing",
    [
      "miner",
      "validator",
    ],
  ),
  PROXY_FILE: knob(z.string().trim(), "", "File with one proxy URL per line (added to PROXY_URLS)", [
    "miner",
    "validator",
  ]),
  SCRAPER_API_URL_TEMPLATE: knob(
    z.string().trim(),
    "",
    "Scraping-API provider URL with {url} and {key}, e.g. https://provider/?api_key={key}&url={url}",
    ["miner", "validator"],
  ),
  SCRAPER_API_KEY: knob(z.string().trim(), "", "Key of the scraping-API provider", ["miner", "validator"], {
    secret: true,
  }),
  SCRAPER_API_KINDS: knob(
    z.string().trim().regex(/^((search|api|detail|building)(,(search|api|detail|building))*)?$/, {
      error: "expected a comma list of search, api, detail, building",
    }).transform((s) => (s === "" ? [] : s.split(","))),
    "detail",
    "Page kinds sent through the scraping API when one is configured (plain fetch is blocked on details)",
    ["miner", "validator"],
  ),
  REQUESTS_PER_MINUTE: knob(integer(1, 100_000), "20", "Requests per minute per exit (proxy or direct)", [
    "miner",
    "validator",
  ]),
  FETCH_CONCURRENCY: knob(integer(1, 256), "2", "Requests in flight per exit", ["miner", "validator"]),
  FETCH_JITTER_MS: knob(integer(0, 60_000), "500", "Random extra delay before each request, up to this", [
    "miner",
    "validator",
  ]),
  FETCH_TIMEOUT_MS: knob(integer(100, 600_000), "30000", "Timeout of one request", ["miner", "validator"]),
  FETCH_RETRIES: knob(
    integer(0, 20),
    "3",
    "Retries of a failed or blocked request (on another exit when possible)",
    [
      "miner",
      "validator",
    ],
  ),
  BLOCK_COOLDOWN_SECONDS: knob(integer(0, 86_400), "300", "An exit that got blocked rests this long", [
    "miner",
    "validator",
  ]),
  MAX_CONSECUTIVE_BLOCKS: knob(integer(1, 10_000), "20", "Stop scraping after this many blocks in a row", [
    "miner",
    "validator",
  ]),
} as const;

/** The fetch stack's knobs, resolved. */
export type FetchConfig = Resolved<typeof FETCH_KNOBS>;
