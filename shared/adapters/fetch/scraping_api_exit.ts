/**
 * A route through a scraping/unblocking API provider (ScraperAPI, ScrapingBee, ScrapeOps, Scrape.do and
 * the like): GET `SCRAPER_API_URL_TEMPLATE` with `{url}` (the URL-encoded target) and `{key}` substituted.
 *
 * Supported answers, where the body is always the target's raw body:
 * - transparent status: the provider's status is the target's (ScraperAPI, ScrapeOps, Scrape.do with
 *   `transparentResponse=true`, ScrapingBee with `transparent_status_code=true`);
 * - a target-status header, which wins over the provider's status: `spb-initial-status-code`
 *   (ScrapingBee), `sops-final-status-code` / `sops-initial-status-code` (ScrapeOps). A 3xx there means
 *   the provider followed a redirect, so the provider's own status stands. The final URL comes from
 *   `spb-resolved-url` / `sops-final-url` when present.
 * JSON-wrapper answers (Scrapfly, Crawlbase `format=json`, Zyte) are not supported. PUT/POST requests are
 * forwarded with their body; whether the provider passes them on is up to the provider. Browser headers
 * are left to the provider. A 401 or 402 from the provider itself throws `ScraperApiError`.
 *
 * The key never leaves this file: the exit's name is the provider's host and transport errors are
 * rethrown with the key cut out.
 * @module
 */
import type { PageRequest, PageResponse } from "../../ports.ts";
import type { Exit } from "./exit.ts";
import { ScraperApiError } from "./fetch_errors.ts";

/** Options of `createScrapingApiExit`. */
export interface ScrapingApiExitOptions {
  /** SCRAPER_API_URL_TEMPLATE, e.g. `https://provider.example/?api_key={key}&url={url}`. */
  template: string;
  /** SCRAPER_API_KEY (secret). */
  key: string;
  /** @default `scraper-api:<provider host>` */
  name?: string;
}

const TARGET_STATUS_HEADERS = [
  "spb-initial-status-code",
  "sops-final-status-code",
  "sops-initial-status-code",
];
const TARGET_URL_HEADERS = ["spb-resolved-url", "sops-final-url"];
// The provider's own refusals: a configuration problem that no retry or other exit fixes.
const PROVIDER_REFUSALS = new Set([401, 402]);

function fill(template: string, target: string, key: string): string {
  return template.replaceAll("{url}", encodeURIComponent(target)).replaceAll(
    "{key}",
    encodeURIComponent(key),
  );
}

/** Checks the template and returns the provider's host; throws a `TypeError` naming the problem. */
export function scrapingApiHost(template: string, key: string): string {
  if (!template.includes("{url}")) {
    throw new TypeError("Cannot use SCRAPER_API_URL_TEMPLATE: it has no {url} placeholder");
  }
  if (template.includes("{key}") && key === "") {
    throw new TypeError(
      "Cannot use SCRAPER_API_URL_TEMPLATE: it has a {key} placeholder but SCRAPER_API_KEY is empty",
    );
  }
  let url: URL;
  try {
    url = new URL(fill(template, "https://example.com/", "key"));
  } catch {
    throw new TypeError("Cannot use SCRAPER_API_URL_TEMPLATE: expected an http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("Cannot use SCRAPER_API_URL_TEMPLATE: expected an http(s) URL");
  }
  return url.host;
}

function firstHeader(headers: Headers, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  return null;
}

function targetStatus(response: Response): number | null {
  const text = firstHeader(response.headers, TARGET_STATUS_HEADERS);
  return text !== null && /^\d{3}$/.test(text.trim()) ? Number(text) : null;
}

/** Creates the scraping-API exit; throws a `TypeError` when the template or key is unusable. */
export function createScrapingApiExit(options: ScrapingApiExitOptions): Exit {
  const { template, key } = options;
  const host = scrapingApiHost(template, key);
  const name = options.name ?? `scraper-api:${host}`;
  const secrets = [key, encodeURIComponent(key)].filter((s) => s !== "");

  function scrub(text: string): string {
    return secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
  }

  async function exchange(request: PageRequest, signal: AbortSignal): Promise<PageResponse> {
    const response = await fetch(fill(template, request.url, key), {
      method: request.method ?? "GET",
      body: request.body,
      headers: request.body === undefined ? undefined : { "content-type": "application/json" },
      signal,
    });
    const status = targetStatus(response);
    if (status === null && PROVIDER_REFUSALS.has(response.status)) {
      await response.body?.cancel();
      throw new ScraperApiError(
        `Cannot use the scraping API at "${host}": it answered ${response.status}; ` +
          "check SCRAPER_API_KEY and the plan's credits",
      );
    }
    return {
      status: status !== null && (status < 300 || status >= 400) ? status : response.status,
      url: firstHeader(response.headers, TARGET_URL_HEADERS) ?? request.url,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
      exit: name,
    };
  }

  async function send(request: PageRequest, signal: AbortSignal): Promise<PageResponse> {
    try {
      return await exchange(request, signal);
    } catch (error) {
      // Deno's fetch errors quote the request URL, which holds the key.
      if (!(error instanceof TypeError)) throw error;
      const detail = error.cause instanceof Error ? error.cause.message : error.message;
      throw new TypeError(`Cannot reach the scraping API at "${host}": ${scrub(detail)}`);
    }
  }

  return { name, send };
}
