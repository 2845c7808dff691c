/**
 * The errors the fetch stack raises to its callers (the miner's crawler, the validator's spot checker).
 * A blocked or missing page is an answer, not an error: these mean "no answer" or "stop".
 * @module
 */

/**
 * Raised when the site has blocked `consecutiveBlocks` requests in a row across the exits: the fetcher
 * stops (every later call fails the same way) rather than hammer the bot wall.
 */
export class ScrapeBlockedError extends Error {
  constructor(readonly consecutiveBlocks: number, readonly exits: readonly string[]) {
    super(
      `Cannot keep scraping: the listing site blocked ${consecutiveBlocks} requests in a row on ` +
        `${exits.join(", ")}; add proxies (PROXY_URLS or PROXY_FILE), slow down (lower ` +
        `REQUESTS_PER_MINUTE or FETCH_CONCURRENCY, raise FETCH_JITTER_MS) or configure a scraping API ` +
        `(SCRAPER_API_URL_TEMPLATE, SCRAPER_API_KEY, SCRAPER_API_KINDS)`,
    );
    this.name = "ScrapeBlockedError";
  }
}

/** Raised when every attempt at a page failed without an answer (network errors, timeouts). */
export class PageFetchError extends Error {
  constructor(readonly url: string, readonly attempts: number, options?: ErrorOptions) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(`Cannot fetch "${url}": ${attempts} attempts got no answer${cause}`, options);
    this.name = "PageFetchError";
  }
}

/** Raised when the scraping-API provider refuses the account (bad key, no credits); never retried. */
export class ScraperApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScraperApiError";
  }
}
