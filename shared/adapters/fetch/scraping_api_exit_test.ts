import { assertEquals, assertMatch, assertRejects, assertThrows } from "../../../tests/assert.ts";
import { createMarketHandler } from "../../../tests/sim/server.ts";
import { classifyPage } from "../../listing_site/blocks.ts";
import { ScraperApiError } from "./fetch_errors.ts";
import { createScrapingApiExit, scrapingApiHost } from "./scraping_api_exit.ts";
import { serveScrapingApi } from "../../../tests/harness/fake_scraping_api.ts";

const KEY = "k3y/with&odd=chars";
const SITE = "https://www.zillow.com";

function market(options: { blockRate?: number; vanishRate?: number } = {}) {
  return createMarketHandler({ seed: "scraping-api-test", defaultExpected: 40, ...options });
}

async function someZpid(handler: ReturnType<typeof market>): Promise<string> {
  const inventory = await (await handler(new Request(`${SITE}/__sim/inventory/77001`))).json();
  return inventory.listings[0].zpid;
}

Deno.test("createScrapingApiExit() substitutes the encoded target and key", async () => {
  const provider = serveScrapingApi({ key: KEY, market: market() });
  try {
    const exit = createScrapingApiExit({ template: provider.template("transparent"), key: KEY });
    const target = `${SITE}/homes/for_sale/77001_rb/?searchQueryState=${
      encodeURIComponent(JSON.stringify({ pagination: { currentPage: 2 } }))
    }&x=1`;
    const answer = await exit.send({ url: target, kind: "search" }, AbortSignal.timeout(10_000));
    assertEquals([answer.status, classifyPage(answer).status, answer.url], [200, "ok", target]);
    assertEquals(provider.calls.length, 1);
    assertEquals(provider.calls[0].searchParams.get("url"), target);
    assertEquals(provider.calls[0].searchParams.get("api_key"), KEY);
    assertEquals(exit.name, `scraper-api:${provider.calls[0].host}`);
  } finally {
    await provider.shutdown();
  }
});

Deno.test("createScrapingApiExit() reads the target status from spb-initial-status-code", async () => {
  const open = market({ vanishRate: 1 });
  const blocked = market({ blockRate: 1 });
  const openApi = serveScrapingApi({ key: KEY, market: open });
  const blockedApi = serveScrapingApi({ key: KEY, market: blocked });
  try {
    const signal = AbortSignal.timeout(10_000);
    const exit = createScrapingApiExit({ template: openApi.template("spb"), key: KEY });
    const search = await exit.send({ url: `${SITE}/homes/for_sale/77001_rb/`, kind: "search" }, signal);
    assertEquals([search.status, classifyPage(search).status], [200, "ok"]);
    const vanished = await exit.send({
      url: `${SITE}/homedetails/x/${await someZpid(open)}_zpid/`,
      kind: "detail",
    }, signal);
    assertEquals(
      [vanished.status, classifyPage(vanished).status],
      [404, "not_found"],
      "provider said 500, target 404",
    );

    const walled = createScrapingApiExit({ template: blockedApi.template("spb"), key: KEY });
    const block = await walled.send({ url: `${SITE}/homes/for_sale/77001_rb/`, kind: "search" }, signal);
    assertEquals([block.status, classifyPage(block).status], [403, "blocked"]);
  } finally {
    await openApi.shutdown();
    await blockedApi.shutdown();
  }
});

Deno.test("createScrapingApiExit() keeps the provider's status when the target redirected", async () => {
  const handler = market();
  const provider = serveScrapingApi({ key: KEY, market: handler });
  try {
    const exit = createScrapingApiExit({ template: provider.template("spb"), key: KEY });
    const zpid = await someZpid(handler);
    const detail = await exit.send(
      { url: `${SITE}/homedetails/any-slug/${zpid}_zpid/`, kind: "detail" },
      AbortSignal.timeout(10_000),
    );
    assertEquals([detail.status, classifyPage(detail).status], [200, "ok"]);
    assertMatch(detail.url, new RegExp(`/homedetails/(?!any-slug)[^/]+/${zpid}_zpid/$`));
  } finally {
    await provider.shutdown();
  }
});

Deno.test("createScrapingApiExit() turns the provider's refusal into ScraperApiError", async () => {
  const provider = serveScrapingApi({ key: KEY, market: market() });
  try {
    const exit = createScrapingApiExit({ template: provider.template("transparent"), key: "wrong-key" });
    const error = await assertRejects(
      () =>
        exit.send({ url: `${SITE}/homes/for_sale/77001_rb/`, kind: "search" }, AbortSignal.timeout(10_000)),
      ScraperApiError,
      "answered 401",
    );
    assertEquals(error.message.includes("wrong-key"), false);
  } finally {
    await provider.shutdown();
  }
});

Deno.test("createScrapingApiExit() cuts the key out of transport errors", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = listener.addr.port;
  listener.close();
  const exit = createScrapingApiExit({
    template: `http://127.0.0.1:${closedPort}/?key={key}&url={url}`,
    key: KEY,
  });
  const error = await assertRejects(
    () => exit.send({ url: `${SITE}/homes/for_sale/77001_rb/`, kind: "search" }, AbortSignal.timeout(10_000)),
    TypeError,
    "Cannot reach the scraping API",
  );
  assertEquals(error.message.includes(KEY) || error.message.includes(encodeURIComponent(KEY)), false);
  assertMatch(error.message, /\[redacted\]/);
  assertEquals(error.cause, undefined);
});

Deno.test("scrapingApiHost() rejects unusable templates", () => {
  assertEquals(scrapingApiHost("https://api.example/?k={key}&u={url}", "k"), "api.example");
  assertThrows(() => scrapingApiHost("https://api.example/?k={key}", "k"), TypeError, "no {url}");
  assertThrows(
    () => scrapingApiHost("https://api.example/?k={key}&u={url}", ""),
    TypeError,
    "SCRAPER_API_KEY is empty",
  );
  assertThrows(() => scrapingApiHost("ftp://api.example/{url}", ""), TypeError, "expected an http(s) URL");
  assertThrows(() => scrapingApiHost("not a url {url}", ""), TypeError, "expected an http(s) URL");
});
