/**
 * Reads rendered pages with linkedom the way the production scraper will, for the simulator's tests.
 * Deno ships no DOM typings, so the few DOM members used are typed here.
 * @module
 */
import { parseHTML } from "linkedom";

/** The DOM element members the tests use. */
export interface DomElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}

/** The DOM document members the tests use. */
export interface DomDocument {
  title: string;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}

/** Parses HTML text into a linkedom document. */
export function parseDocument(html: string): DomDocument {
  return (parseHTML(html) as unknown as { document: DomDocument }).document;
}

/** The parsed `__NEXT_DATA__` JSON of a page; throws a TypeError when the page has none. */
export function readNextData(html: string): Record<string, unknown> {
  const script = parseDocument(html).querySelector("script#__NEXT_DATA__");
  if (!script?.textContent) throw new TypeError("Cannot read __NEXT_DATA__: the page has no such script");
  return JSON.parse(script.textContent);
}

/** Follows a dotted path through parsed JSON, returning undefined where it breaks. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The detail page's property for `zpid`: parse `gdpClientCache` a second time, then take the matching
 * value with the most keys, never trusting key names (the anatomy's rule).
 */
export function readDetailProperty(html: string, zpid: number): Record<string, unknown> | null {
  const cacheText = pick(readNextData(html), "props.pageProps.componentProps.gdpClientCache");
  if (typeof cacheText !== "string") return null;
  const cache = JSON.parse(cacheText) as Record<string, { property?: Record<string, unknown> }>;
  let best: Record<string, unknown> | null = null;
  for (const entry of Object.values(cache)) {
    const property = entry?.property;
    if (property?.zpid !== zpid) continue;
    if (!best || Object.keys(property).length > Object.keys(best).length) best = property;
  }
  return best;
}
