/**
 * The detail page (`/homedetails/{slug}/{zpid}_zpid/`, anatomy §2.2). Its property lives in a keyed query
 * cache that is usually a JSON string inside the `__NEXT_DATA__` JSON (parse twice). Layouts, newest
 * first: `componentProps.gdpClientCache`, `pageProps.gdpClientCache` (mid-2023), and the legacy
 * `script#hdpApolloPreloadedData` whose `apiCache` is the same map. Key names vary (`ForSalePriorityQuery…`,
 * `NotForSale…`, a partial `VariantQuery…`), so they are never matched: the entry whose `property.zpid`
 * is the requested zpid wins, the one with the most keys when several match.
 * @module
 */
import { isObject, type JsonObject, PageParseError, parseJson, pick, readScriptJson } from "./page_json.ts";

const WHAT = "detail page";

/** A cache that is a JSON string (the usual form) or, in some captures, already an object. */
function decodeCache(cache: unknown, where: string): JsonObject | null {
  if (cache === undefined || cache === null) return null;
  const value = typeof cache === "string" ? parseJson(cache, `${WHAT} ${where}`) : cache;
  if (!isObject(value)) throw new PageParseError(`Cannot parse ${WHAT} ${where}: expected a JSON object`);
  return value;
}

function queryCache(html: string): JsonObject {
  const next = readScriptJson(html, "__NEXT_DATA__", WHAT);
  if (next) {
    const cache =
      decodeCache(pick(next, "props.pageProps.componentProps.gdpClientCache"), "gdpClientCache") ??
        decodeCache(pick(next, "props.pageProps.gdpClientCache"), "gdpClientCache");
    if (cache) return cache;
  }
  const apollo = readScriptJson(html, "hdpApolloPreloadedData", WHAT);
  const cache = apollo && decodeCache(apollo.apiCache, "apiCache");
  if (cache) return cache;
  throw new PageParseError(
    `Cannot parse ${WHAT}: expected a gdpClientCache or hdpApolloPreloadedData (page "${
      String(next?.page)
    }")`,
  );
}

/**
 * The property of `zpid` on a detail page, or null when the page's cache holds no such property (the
 * listing is unknown). Throws a `PageParseError` when the page carries no query cache at all.
 */
export function parseDetailPage(html: string, zpid: string): JsonObject | null {
  let best: JsonObject | null = null;
  let bestSize = 0;
  for (const entry of Object.values(queryCache(html))) {
    const property = isObject(entry) ? entry.property : undefined;
    if (!isObject(property) || String(property.zpid) !== zpid) continue;
    const size = Object.keys(property).length;
    if (size > bestSize) [best, bestSize] = [property, size];
  }
  return best;
}
