/**
 * The plain route: Deno's `fetch` with browser headers (`browser_headers.ts`) and the exit's own cookie
 * jar. Redirects are followed by hand so that a redirect into the PerimeterX captcha flow comes back as
 * the 3xx itself, where `shared/listing_site/blocks.ts` sees it, instead of as the captcha page. The
 * proxy exit is this exit with a proxying HTTP client.
 * @module
 */
import type { Clock, PageRequest, PageResponse } from "../../ports.ts";
import { browserHeaders } from "./browser_headers.ts";
import { createCookieJar } from "./cookie_jar.ts";
import type { Exit } from "./exit.ts";

/** Options of `createDirectExit`. */
export interface DirectExitOptions {
  /** @default "direct" */
  name?: string;
  /** Decides cookie expiry. */
  clock: Clock;
  /** The HTTP client to send with (a proxy's, see `proxy_exit.ts`); default: Deno's shared one. */
  client?: Deno.HttpClient;
  /** @default 10 */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// The PerimeterX redirect flow; shared/listing_site/blocks.ts reads the returned 3xx as a block.
const CAPTCHA_PATH = /\/captchaPerimeterX\//i;

// Fetch-spec method rewriting: 303 turns anything but GET into GET, 301/302 turn POST into GET.
function becomesGet(status: number, method: string): boolean {
  return (status === 303 && method !== "GET") || ((status === 301 || status === 302) && method === "POST");
}

async function readAnswer(response: Response, url: URL, exit: string): Promise<PageResponse> {
  return {
    status: response.status,
    url: url.href,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
    exit,
  };
}

/** Creates the direct exit (or, with `client`, a proxy's). */
export function createDirectExit(options: DirectExitOptions): Exit {
  const name = options.name ?? "direct";
  const maxRedirects = options.maxRedirects ?? 10;
  const jar = createCookieJar(options.clock);

  async function send(request: PageRequest, signal: AbortSignal): Promise<PageResponse> {
    const headers = browserHeaders(request);
    let url = new URL(request.url);
    let method = request.method ?? "GET";
    let body = request.body;
    for (let hop = 0;; hop++) {
      const cookie = jar.header(url);
      const response = await fetch(url, {
        method,
        body,
        headers: cookie === null ? headers : { ...headers, cookie },
        redirect: "manual",
        signal,
        client: options.client,
      });
      jar.store(url, response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || location === null || CAPTCHA_PATH.test(location)) {
        return await readAnswer(response, url, name);
      }
      await response.body?.cancel();
      if (hop >= maxRedirects) {
        throw new TypeError(`Cannot fetch "${request.url}": more than ${maxRedirects} redirects`);
      }
      if (becomesGet(response.status, method)) {
        method = "GET";
        body = undefined;
        delete headers["content-type"];
      }
      url = new URL(location, url);
    }
  }

  return { name, send };
}
