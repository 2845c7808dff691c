/**
 * The HTML search page (`/homes/for_sale/{zip}_rb/…`, anatomy §2.1): its `__NEXT_DATA__` search state,
 * and the server-rendered card DOM (§2.5) as a sanity fallback. Only the first few cards are rendered
 * as HTML, so the DOM undercounts and never replaces the JSON for crawling.
 * @module
 */
import { parseHTML } from "linkedom";
import { PageParseError, pickObject, readNextData } from "./page_json.ts";
import { readSearchResults, type SearchResults } from "./search_results.ts";

/** Parses a search page; throws a `PageParseError` when it holds no search state (a soft block or a redesign). */
export function parseSearchPage(html: string): SearchResults {
  const data = readNextData(html, "search page");
  const state = pickObject(data, "props.pageProps.searchPageState");
  if (!state) {
    throw new PageParseError(
      `Cannot parse search page: expected props.pageProps.searchPageState (page "${String(data.page)}")`,
    );
  }
  return readSearchResults(state, "search page");
}

/** A server-rendered result card. */
export interface DomCard {
  /** The id after `zpid_`: digits, or `lat--lng` for buildings. */
  id: string;
  detailUrl: string | null;
  address: string | null;
  price: string | null;
  /** Fact values by unit abbreviation ("bds", "ba", "sqft"; "bd" is read as "bds"); "--" means unknown. */
  facts: Record<string, string>;
}

// Deno ships no DOM typings; these are the members used.
interface DomNode {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): Iterable<DomNode>;
}

const CARD = 'article[data-test="property-card"], article[data-testid="property-card"]';
const LINK = 'a[data-test="property-card-link"], a[data-test="property-card-address-link"]';

// A price as printed: "$412,000", "From $215,000", "$1.25M", "$2,150+".
const PRICE_TEXT = /(?:From\s+)?\$\s?\d[\d,]*(?:\.\d+)?[KM]?\+?/i;
// Singular units on current markup ("1 bd") mapped to the plural the older markup prints.
const UNIT_NAMES: Record<string, string> = { bd: "bds", bds: "bds", ba: "ba", bas: "ba" };

function text(node: DomNode | null): string | null {
  const value = node?.textContent?.trim();
  return value ? value : null;
}

/** The server-rendered cards of a search page, in page order. */
export function readDomCards(html: string): DomCard[] {
  const { document } = parseHTML(html) as unknown as { document: DomNode };
  const cards: DomCard[] = [];
  for (const article of document.querySelectorAll(CARD)) {
    const id = article.id.replace(/^zpid_/, "");
    if (!id) continue;
    const link = article.querySelector(LINK);
    const price = article.querySelector('[data-test="property-card-price"]');
    const facts: Record<string, string> = {};
    for (const item of article.querySelectorAll('ul[data-testid="property-card-details"] > li')) {
      const abbr = text(item.querySelector("abbr"));
      const unit = abbr === null ? null : UNIT_NAMES[abbr.toLowerCase()] ?? abbr;
      const value = text(item.querySelector("b"));
      if (unit && value) facts[unit] = value;
    }
    cards.push({
      id,
      detailUrl: link?.getAttribute("href") ?? null,
      address: text(link?.querySelector("address") ?? null),
      // The element also holds labels ("Fees may apply", "Total price") before or after the amount.
      price: text(price)?.match(PRICE_TEXT)?.[0] ?? null,
      facts,
    });
  }
  return cards;
}
