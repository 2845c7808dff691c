/**
 * The JSON search API's answer (`PUT /async-create-search-page-state`, anatomy §1.4, §5.3): the search
 * state is the body itself, among unrelated siblings (`user`, `mapState`, …) that are ignored.
 * @module
 */
import { isObject, PageParseError, parseJson } from "./page_json.ts";
import { readSearchResults, type SearchResults } from "./search_results.ts";

/** Parses an API body; throws a `PageParseError` on anything but a search state. */
export function parseSearchApi(body: string): SearchResults {
  const value = parseJson(body, "search API response");
  if (!isObject(value)) throw new PageParseError("Cannot parse search API response: expected a JSON object");
  return readSearchResults(value, "search API response");
}
