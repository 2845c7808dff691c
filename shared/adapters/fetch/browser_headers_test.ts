import { assertEquals, assertMatch } from "../../../tests/assert.ts";
import { browserHeaders, CHROME_USER_AGENT } from "./browser_headers.ts";

const SEARCH = "https://www.zillow.com/homes/for_sale/77001_rb/";

Deno.test("browserHeaders() sends navigation headers for documents", () => {
  const headers = browserHeaders({ url: SEARCH, kind: "search" });
  assertEquals(headers["user-agent"], CHROME_USER_AGENT);
  assertMatch(headers["sec-ch-ua"], /"Google Chrome";v="124"/);
  assertMatch(CHROME_USER_AGENT, /Chrome\/124\./);
  assertMatch(headers.accept, /^text\/html,/);
  assertEquals(headers["sec-fetch-mode"], "navigate");
  assertEquals(headers["sec-fetch-site"], "none");
  assertEquals(headers.origin, undefined);
});

Deno.test("browserHeaders() marks a referred document as same-origin and lets the caller override", () => {
  const headers = browserHeaders({
    url: "https://www.zillow.com/homedetails/a/1_zpid/",
    kind: "detail",
    headers: { Referer: SEARCH, "Accept-Language": "en-GB" },
  });
  assertEquals(headers.referer, SEARCH);
  assertEquals(headers["sec-fetch-site"], "same-origin");
  assertEquals(headers["accept-language"], "en-GB");
});

Deno.test("browserHeaders() sends the CORS set with origin and referer for the JSON API", () => {
  const headers = browserHeaders({
    url: "https://www.zillow.com/async-create-search-page-state",
    kind: "api",
    method: "PUT",
    body: "{}",
    headers: { referer: SEARCH },
  });
  assertEquals(headers.origin, "https://www.zillow.com");
  assertEquals(headers.referer, SEARCH);
  assertEquals(headers["content-type"], "application/json");
  assertEquals(headers.accept, "*/*");
  assertEquals([headers["sec-fetch-mode"], headers["sec-fetch-site"], headers["sec-fetch-dest"]], [
    "cors",
    "same-origin",
    "empty",
  ]);
  assertEquals(
    browserHeaders({ url: "https://www.zillow.com/search/GetSearchPageState.htm", kind: "api" })
      .referer,
    "https://www.zillow.com/",
  );
});
