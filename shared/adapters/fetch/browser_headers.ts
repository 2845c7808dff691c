/**
 * The headers a desktop Chrome sends, kept consistent with each other: a bare or mismatched user agent is
 * the first thing the site's bot wall scores. Documents get navigation headers; the JSON search API gets
 * the CORS set with `origin` and `referer`. Headers only: the TLS and HTTP/2 fingerprint stay Deno's.
 * @module
 */
import type { PageRequest } from "../../ports.ts";

// One Chrome release for the user agent and its client hints; they must name the same version and OS.
const CHROME_MAJOR = "124";

/** The user agent every plain exit sends. */
export const CHROME_USER_AGENT =
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_MAJOR}.0.0.0 Safari/537.36`;

const COMMON = {
  "user-agent": CHROME_USER_AGENT,
  "accept-language": "en-US,en;q=0.9",
  "accept-encoding": "gzip, deflate, br",
  "sec-ch-ua": `"Chromium";v="${CHROME_MAJOR}", "Google Chrome";v="${CHROME_MAJOR}", "Not-A.Brand";v="99"`,
  "sec-ch-ua-mobile": "?0",
  "sec-ch-ua-platform": '"Windows"',
};
const DOCUMENT_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

function lowerCased(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The request's headers: the browser set for its kind, overridden by the caller's own `headers`. */
export function browserHeaders(request: PageRequest): Record<string, string> {
  const own = lowerCased(request.headers);
  if (request.kind === "api") {
    const site = new URL(request.url).origin;
    return {
      ...COMMON,
      accept: "*/*",
      ...(request.body === undefined ? {} : { "content-type": "application/json" }),
      origin: site,
      referer: `${site}/`,
      "sec-fetch-dest": "empty",
      "sec-fetch-mode": "cors",
      "sec-fetch-site": "same-origin",
      ...own,
    };
  }
  return {
    ...COMMON,
    accept: DOCUMENT_ACCEPT,
    "upgrade-insecure-requests": "1",
    "sec-fetch-dest": "document",
    "sec-fetch-mode": "navigate",
    // A navigation typed into the address bar has no referer; a followed link is same-origin.
    "sec-fetch-site": own.referer === undefined ? "none" : "same-origin",
    "sec-fetch-user": "?1",
    ...own,
  };
}
