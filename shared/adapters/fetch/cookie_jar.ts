import type { Clock } from "../../ports.ts";
/**
 * A small cookie jar, one per exit: the site ties its PerimeterX and session cookies to the client's IP,
 * so cookies never move between exits. It keeps what `set-cookie` sends (domain, path, expiry, secure)
 * and returns the `cookie` header for a URL. No public-suffix list: the jar only ever talks to one site.
 * @module
 */

/** The cookies of one exit. */
export interface CookieJar {
  /** Stores the `set-cookie` headers of an answer from `url`. */
  store(url: URL, setCookies: readonly string[]): void;
  /** The `cookie` header to send to `url`, or null when no cookie applies. */
  header(url: URL): string | null;
  /** Number of cookies held, expired ones included until they are next looked at. */
  readonly size: number;
}

interface Cookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  expiresMs: number;
  secure: boolean;
}

// Enough for the site's own cookies (about a dozen); the oldest go first past it.
const MAX_COOKIES = 100;

function defaultPath(url: URL): string {
  const cut = url.pathname.lastIndexOf("/");
  return cut > 0 ? url.pathname.slice(0, cut) : "/";
}

function parseSetCookie(url: URL, line: string, nowMs: number): Cookie | null {
  const [pair, ...attributes] = line.split(";");
  const eq = pair.indexOf("=");
  if (eq <= 0) return null;
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: url.hostname,
    hostOnly: true,
    path: defaultPath(url),
    expiresMs: Infinity,
    secure: false,
  };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const split = attribute.indexOf("=");
    const key = (split < 0 ? attribute : attribute.slice(0, split)).trim().toLowerCase();
    const value = split < 0 ? "" : attribute.slice(split + 1).trim();
    if (key === "domain" && value !== "") {
      const domain = value.replace(/^\./, "").toLowerCase();
      // A cookie for another site is refused, as browsers do.
      if (!domainMatches(url.hostname, domain)) return null;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === "path" && value.startsWith("/")) cookie.path = value;
    else if (key === "secure") cookie.secure = true;
    else if (key === "max-age" && /^-?\d+$/.test(value)) {
      maxAgeSeen = true;
      cookie.expiresMs = nowMs + Number(value) * 1000;
    } else if (key === "expires" && !maxAgeSeen) {
      const date = Date.parse(value);
      if (!Number.isNaN(date)) cookie.expiresMs = date;
    }
  }
  return cookie;
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/** Creates an empty jar; `clock` decides expiry. */
export function createCookieJar(clock: Clock): CookieJar {
  const cookies = new Map<string, Cookie>();

  function store(url: URL, setCookies: readonly string[]): void {
    const nowMs = clock.now().getTime();
    for (const line of setCookies) {
      const cookie = parseSetCookie(url, line, nowMs);
      if (!cookie) continue;
      const key = `${cookie.domain}|${cookie.path}|${cookie.name}`;
      cookies.delete(key);
      if (cookie.expiresMs <= nowMs) continue;
      cookies.set(key, cookie);
      if (cookies.size > MAX_COOKIES) cookies.delete(cookies.keys().next().value!);
    }
  }

  function header(url: URL): string | null {
    const nowMs = clock.now().getTime();
    const matching: Cookie[] = [];
    for (const [key, cookie] of cookies) {
      if (cookie.expiresMs <= nowMs) {
        cookies.delete(key);
        continue;
      }
      const hostOk = cookie.hostOnly
        ? url.hostname === cookie.domain
        : domainMatches(url.hostname, cookie.domain);
      if (!hostOk || !pathMatches(url.pathname, cookie.path)) continue;
      if (cookie.secure && url.protocol !== "https:") continue;
      matching.push(cookie);
    }
    if (matching.length === 0) return null;
    // Longer paths first, as browsers send them.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  }

  return {
    store,
    header,
    get size() {
      return cookies.size;
    },
  };
}
