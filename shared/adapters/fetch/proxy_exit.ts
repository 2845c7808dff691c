/**
 * A route through one HTTP(S) proxy: the direct exit's headers, cookie jar and redirect handling over a
 * `Deno.createHttpClient` that proxies. Credentials in the proxy URL (`http://user:pass@host:port`, the
 * usual sticky-session form) go to the client as basic auth and never into the exit's name or errors.
 * @module
 */
import type { Clock } from "../../ports.ts";
import { createDirectExit } from "./direct_exit.ts";
import type { Exit } from "./exit.ts";

/** A proxy URL split into what the HTTP client needs and what may be shown. */
export interface ProxyAddress {
  /** The proxy URL without credentials. */
  url: string;
  /** `host:port`, safe for logs. */
  address: string;
  basicAuth?: { username: string; password: string };
}

/** Options of `createProxyExit`. */
export interface ProxyExitOptions {
  /** @default `proxy:<host>:<port>` */
  name?: string;
  clock: Clock;
}

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** Parses a proxy URL; throws a `TypeError` (without the credentials) when it is not http(s). */
export function parseProxyUrl(text: string): ProxyAddress {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new TypeError(`Cannot use proxy "${text.replace(/\/\/[^@/]*@/, "//")}": expected an http(s) URL`);
  }
  const address = `${url.hostname}:${url.port || defaultPort(url.protocol)}`;
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot use proxy "${address}": expected an http(s) URL, got "${url.protocol}"`);
  }
  const proxy: ProxyAddress = { url: `${url.protocol}//${url.host}`, address };
  if (url.username !== "") {
    proxy.basicAuth = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  }
  return proxy;
}

/** Creates an exit through the proxy at `proxyUrl`; `close()` releases its HTTP client. */
export function createProxyExit(proxyUrl: string, options: ProxyExitOptions): Exit & { close(): void } {
  const proxy = parseProxyUrl(proxyUrl);
  const client = Deno.createHttpClient({ proxy: { url: proxy.url, basicAuth: proxy.basicAuth } });
  const exit = createDirectExit({
    name: options.name ?? `proxy:${proxy.address}`,
    clock: options.clock,
    client,
  });
  return { name: exit.name, send: exit.send, close: () => client.close() };
}
