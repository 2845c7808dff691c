import { assert, assertEquals, assertMatch, assertNotEquals } from "../assert.ts";
import { pick, readDetailProperty, readNextData } from "./page_reader.ts";
import { createMarketHandler, type MarketHandler, type MarketHandlerOptions } from "./server.ts";
import { BROWSER_HEADERS, TEST_AT } from "./test_market.ts";

type Card = Record<string, unknown> & {
  zpid: string;
  detailUrl: string;
  relaxed?: boolean;
  isBuilding?: boolean;
};

const BASE = "http://127.0.0.1:8090";
const ORIGIN = "https://www.zillow.com";

// `at` is a settable wall time the handler reads through its clock.
function handlerAt(
  options: Omit<Partial<MarketHandlerOptions>, "clock"> & { clock?: { now: Date } } = {},
): MarketHandler {
  const { clock: at = { now: TEST_AT }, ...rest } = options;
  return createMarketHandler({
    seed: "server-test",
    clock: { now: () => at.now },
    sleep: () => Promise.resolve(),
    ...rest,
  });
}

function get(handler: MarketHandler, path: string, headers: Record<string, string> = {}, port?: number) {
  const url = path.startsWith(ORIGIN) ? path.slice(ORIGIN.length) : path;
  return handler(new Request(BASE + url, { headers: { ...BROWSER_HEADERS, ...headers } }), {
    localPort: port,
  });
}

function putSearch(handler: MarketHandler, state: Record<string, unknown>, client = "api-client") {
  const body = {
    searchQueryState: state,
    wants: { cat1: ["listResults"], cat2: ["total"] },
    requestId: 2,
    isDebugRequest: false,
  };
  return handler(
    new Request(`${BASE}/async-create-search-page-state`, {
      method: "PUT",
      headers: {
        ...BROWSER_HEADERS,
        "content-type": "application/json",
        origin: ORIGIN,
        "x-sim-client": client,
      },
      body: JSON.stringify(body),
    }),
  );
}

async function truthZpids(handler: MarketHandler, zip: string): Promise<Set<string>> {
  const truth = await (await get(handler, `/__sim/inventory/${zip}`)).json();
  return new Set(truth.listings.map((record: { zpid: string }) => record.zpid));
}

async function expandBuilding(handler: MarketHandler, card: Card): Promise<string[]> {
  const data = readNextData(await (await get(handler, card.detailUrl)).text());
  const units = pick(
    data,
    "props.pageProps.componentProps.initialReduxState.gdp.building.ungroupedUnits",
  ) as Card[];
  return units.map((unit) => unit.zpid);
}

async function cardZpids(handler: MarketHandler, cards: Card[]): Promise<string[]> {
  const zpids: string[] = [];
  for (const card of cards) {
    if (card.relaxed) continue;
    if (card.isBuilding) zpids.push(...await expandBuilding(handler, card));
    else zpids.push(card.zpid);
  }
  return zpids;
}

Deno.test("createMarketHandler() serves every URL form of a ZIP search with the same totals", async () => {
  const handler = handlerAt();
  const first = readNextData(await (await get(handler, "/homes/for_sale/77001_rb/")).text());
  const total = pick(first, "props.pageProps.searchPageState.cat1.searchList.totalResultCount");
  const regionId = pick(first, "props.pageProps.searchPageState.queryState.regionSelection.0.regionId");
  const slug = String(pick(first, "props.pageProps.searchPageState.cat1.searchList.pagination.nextUrl"))
    .replace(/2_p\/$/, "");
  const state = encodeURIComponent(
    JSON.stringify({ regionSelection: [{ regionId, regionType: 7 }], filterState: {}, pagination: {} }),
  );
  for (
    const path of [
      "/homes/77001_rb/",
      slug,
      `/homes/${regionId}_rid/`,
      `/homes/for_sale/?searchQueryState=${state}`,
    ]
  ) {
    const response = await get(handler, path);
    assertEquals(response.status, 200, path);
    assertEquals(
      pick(
        readNextData(await response.text()),
        "props.pageProps.searchPageState.cat1.searchList.totalResultCount",
      ),
      total,
      path,
    );
  }
  const banded = readNextData(await (await get(handler, "/homes/for_sale/77001_rb/0-250000_price/")).text());
  const cards = pick(banded, "props.pageProps.searchPageState.cat1.searchResults.listResults") as Card[];
  assert(
    cards.filter((c) => !c.relaxed && !c.isBuilding).every((c) => (c.unformattedPrice as number) <= 250000),
  );
  assertEquals((await get(handler, "/homes/for_sale/nowhere/")).status, 404);
  assertEquals((await get(handler, "/homes/for_sale/?searchQueryState=%7Bbad")).status, 400);
});

Deno.test("createMarketHandler() lets a crawl of a small ZIP find exactly the inventory truth", async () => {
  const handler = handlerAt({ defaultExpected: 400 });
  const found = new Set<string>();
  let next: string | undefined = "/homes/for_sale/77001_rb/";
  let pages = 0;
  while (next) {
    const data = readNextData(await (await get(handler, next)).text());
    const cards = pick(data, "props.pageProps.searchPageState.cat1.searchResults.listResults") as Card[];
    for (const zpid of await cardZpids(handler, cards)) found.add(zpid);
    next = pick(data, "props.pageProps.searchPageState.cat1.searchList.pagination.nextUrl") as
      | string
      | undefined;
    pages++;
  }
  assert(pages > 1);
  assertEquals([...found].sort(), [...await truthZpids(handler, "77001")].sort());
});

Deno.test("createMarketHandler() price bands partition a large ZIP's inventory", async () => {
  for (const buildingShare of [0, 0.35]) {
    const handler = handlerAt({ defaultExpected: 2500, buildingShare });
    const regionSelection = [{ regionId: 40000 + (77001 * 7919) % 100000, regionType: 7 }];
    const search = async (price: Record<string, number>, page: number) => {
      const filterState = Object.keys(price).length > 0 ? { price } : {};
      return await (await putSearch(handler, {
        regionSelection,
        filterState,
        pagination: { currentPage: page },
      })).json();
    };
    const whole = (await search({}, 1)).cat1.searchList.totalResultCount;
    assert(whole > 820, `the ZIP has ${whole} results, over the cap`);
    const bands: Array<Record<string, number>> = [];
    const pendingBands: Array<Record<string, number>> = [{ min: 0, max: 20_000_000 }, { min: 20_000_001 }];
    while (pendingBands.length > 0) {
      const band = pendingBands.pop()!;
      const total = (await search(band, 1)).cat1.searchList.totalResultCount;
      if (total > 820 && band.max !== undefined) {
        const middle = Math.floor((band.min + band.max) / 2);
        pendingBands.push({ min: band.min, max: middle }, { min: middle + 1, max: band.max });
      } else {
        bands.push({ ...band, total });
      }
    }
    const union = new Set<string>();
    for (const band of bands) {
      assert(band.total <= 820);
      const price: Record<string, number> = band.max === undefined
        ? { min: band.min }
        : { min: band.min, max: band.max };
      for (let page = 1; page <= Math.ceil(band.total / 41); page++) {
        for (
          const zpid of await cardZpids(handler, (await search(price, page)).cat1.searchResults.listResults)
        ) union.add(zpid);
      }
    }
    assertEquals(
      [...union].sort(),
      [...await truthZpids(handler, "77001")].sort(),
      `buildingShare ${buildingShare}`,
    );
    if (buildingShare === 0) {
      assertEquals(bands.reduce((sum, band) => sum + band.total, 0), whole, "band totals add up");
    }
  }
});

Deno.test("createMarketHandler() redirects any detail slug to the canonical page and 404s unknown zpids", async () => {
  const handler = handlerAt();
  const truth = await (await get(handler, "/__sim/inventory/77001")).json();
  const record = truth.listings[0];
  const redirect = await get(handler, `/homedetails/any-title/${record.zpid}_zpid/`);
  assertEquals(redirect.status, 301);
  const location = redirect.headers.get("location")!;
  assertEquals(ORIGIN + location, record.url);
  const page = await get(handler, location);
  assertEquals(page.status, 200);
  const property = readDetailProperty(await page.text(), Number(record.zpid))!;
  assertEquals(property.price, record.price);
  assertEquals(property.streetAddress, record.street);
  assertEquals((await get(handler, "/homedetails/x/900000001_zpid/")).status, 404);
  const missing = await get(handler, "/homedetails/x/12345678901_zpid/");
  assertEquals(missing.status, 404);
  assertEquals(pick(readNextData(await missing.text()), "props.pageProps.componentProps"), undefined);
});

Deno.test("createMarketHandler() shows churn on detail pages as the market clock advances", async () => {
  const clock = { now: TEST_AT };
  const handler = handlerAt({ clock });
  const truth = await (await get(handler, "/__sim/inventory/77001")).json();
  clock.now = new Date(TEST_AT.getTime() + 60 * 86_400_000);
  const later = await (await get(handler, "/__sim/inventory/77001")).json();
  const laterIds = new Set(later.listings.map((r: { zpid: string }) => r.zpid));
  const gone = truth.listings.find((r: { zpid: string }) => !laterIds.has(r.zpid));
  const property = readDetailProperty(
    await (await get(handler, new URL(gone.url).pathname)).text(),
    Number(gone.zpid),
  )!;
  assertNotEquals(property.homeStatus, "FOR_SALE");
  const events = (property.priceHistory as Array<{ event: string; time: number }>).filter((e) =>
    e.time > TEST_AT.getTime()
  );
  assert(events.some((e) => ["Contingent", "Pending sale", "Sold", "Listing removed"].includes(e.event)));
  assert(
    later.listings.some((r: { zpid: string }) =>
      !truth.listings.some((t: { zpid: string }) => t.zpid === r.zpid)
    ),
  );
});

Deno.test("createMarketHandler() blocks a share of each client's requests with the PerimeterX page", async () => {
  const handler = handlerAt({ blockRate: 0.3, defaultExpected: 50 });
  const blocked: Record<string, number> = { a: 0, b: 0 };
  for (let i = 0; i < 100; i++) {
    for (const client of ["a", "b"]) {
      const response = await get(handler, "/homes/for_sale/77001_rb/", { "x-sim-client": client });
      await response.body?.cancel();
      if (response.status === 403) {
        blocked[client]++;
        assertEquals(response.headers.get("x-px-blocked"), "1");
      }
    }
  }
  for (const client of ["a", "b"]) {
    assert(blocked[client] > 15 && blocked[client] < 45, `${client}: ${blocked[client]} blocks`);
  }
  const stats = await (await get(handler, "/__sim/stats")).json();
  assertEquals(stats.clients.a.blocked, blocked.a);
  assertEquals(stats.clients.b.requests, 100);
  const page = await (await get(handlerAt({ blockRate: 1 }), "/homes/for_sale/77001_rb/")).text();
  assertMatch(page, /px-captcha/);
  const api = await putSearch(handlerAt({ blockRate: 1 }), {});
  assertEquals(api.status, 403);
  assert((await api.json()).blockScript, "the API gets the JSON block descriptor");
});

Deno.test("createMarketHandler() keeps a blocked client blocked for the cool-down", async () => {
  const clock = { now: TEST_AT };
  const handler = handlerAt({
    clock,
    blockRateByRoute: { detail: 1 },
    blockCooldownMs: 60_000,
    defaultExpected: 50,
  });
  const first = await get(handler, "/homedetails/x/12345678901_zpid/", { "x-sim-client": "c" });
  assert(first.status === 403 || first.status === 302);
  const search = await get(handler, "/homes/for_sale/77001_rb/", { "x-sim-client": "c" });
  assertEquals(search.status, 403, "the cool-down covers every route");
  assertEquals((await get(handler, "/homes/for_sale/77001_rb/", { "x-sim-client": "d" })).status, 200);
  clock.now = new Date(TEST_AT.getTime() + 61_000);
  assertEquals((await get(handler, "/homes/for_sale/77001_rb/", { "x-sim-client": "c" })).status, 200);
});

Deno.test("createMarketHandler() answers 429 past each client's per-minute budget", async () => {
  const clock = { now: TEST_AT };
  const handler = handlerAt({ clock, rateLimitPerMinute: 5, defaultExpected: 50 });
  for (let i = 0; i < 5; i++) {
    assertEquals((await get(handler, "/homes/for_sale/77001_rb/", {}, 8091)).status, 200);
  }
  const limited = await get(handler, "/homes/for_sale/77001_rb/", {}, 8091);
  assertEquals(limited.status, 429);
  assert(Number(limited.headers.get("retry-after")) > 0);
  assertEquals(
    (await get(handler, "/homes/for_sale/77001_rb/", {}, 8092)).status,
    200,
    "another proxy exit is fine",
  );
  clock.now = new Date(TEST_AT.getTime() + 61_000);
  assertEquals((await get(handler, "/homes/for_sale/77001_rb/", {}, 8091)).status, 200);
  const stats = await (await get(handler, "/__sim/stats")).json();
  assertEquals(stats.clients["port:8091"].rateLimited, 1);
  assertEquals(stats.clients["port:8092"].requests, 1);
});

Deno.test("createMarketHandler() vanishes detail pages at the vanish rate but not search pages", async () => {
  const handler = handlerAt({ vanishRate: 1, defaultExpected: 50 });
  const truth = await (await get(handler, "/__sim/inventory/77001")).json();
  const response = await get(handler, new URL(truth.listings[0].url).pathname);
  assertEquals(response.status, 404);
  assertEquals((await get(handler, "/homes/for_sale/77001_rb/")).status, 200);
  const stats = await (await get(handler, "/__sim/stats")).json();
  assertEquals(stats.totals.vanished, 1);
});

Deno.test("createMarketHandler() identifies clients by header, proxy user and port", async () => {
  const handler = handlerAt({ defaultExpected: 20 });
  await get(handler, "/", { "x-sim-client": "exit-1" }, 8091);
  await get(handler, "/", { "proxy-authorization": `Basic ${btoa("session-7:pw")}` }, 8091);
  await get(handler, "/", {}, 8093);
  await get(handler, "/");
  const stats = await (await get(handler, "/__sim/stats")).json();
  assertEquals(Object.keys(stats.clients).sort(), [
    "anonymous",
    "exit-1",
    "port:8093",
    "proxy:session-7",
  ]);
});

Deno.test("createMarketHandler() adds latency through the injected sleep", async () => {
  const waits: number[] = [];
  const handler = handlerAt({
    latencyMs: 200,
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
    defaultExpected: 20,
  });
  for (let i = 0; i < 20; i++) await (await get(handler, "/")).body?.cancel();
  assertEquals(waits.length, 20);
  assert(waits.every((ms) => ms >= 100 && ms <= 300));
  assert(new Set(waits).size > 1, "latency is jittered");
});

Deno.test("createMarketHandler() blocks non-browser clients in strict mode", async () => {
  const handler = handlerAt({ strictHeaders: true, defaultExpected: 20 });
  const bare = await handler(
    new Request(`${BASE}/homes/for_sale/77001_rb/`, { headers: { "user-agent": "Mozilla/5.0" } }),
  );
  assertEquals(bare.status, 403);
  assertEquals((await get(handler, "/homes/for_sale/77001_rb/", { "x-sim-client": "chrome" })).status, 200);
  const noOrigin = await handler(
    new Request(`${BASE}/async-create-search-page-state`, {
      method: "PUT",
      headers: { ...BROWSER_HEADERS, "x-sim-client": "chrome" },
      body: "{}",
    }),
  );
  assertEquals(noOrigin.status, 403);
});

Deno.test("createMarketHandler() finds a listing with a tiny map-bounds search and no region", async () => {
  const handler = handlerAt({ defaultExpected: 300 });
  const truth = await (await get(handler, "/__sim/inventory/77001")).json();
  const record = truth.listings.find((r: { building_id: string | null }) => r.building_id === null);
  const state = {
    mapBounds: {
      west: record.longitude - 0.003,
      east: record.longitude + 0.003,
      south: record.latitude - 0.003,
      north: record.latitude + 0.003,
    },
    isMapVisible: true,
    isListVisible: true,
    filterState: { pnd: { value: true } },
  };
  const html = await (await get(
    handler,
    `/homes/for_sale/?searchQueryState=${encodeURIComponent(JSON.stringify(state))}`,
  ))
    .text();
  const cards = pick(
    readNextData(html),
    "props.pageProps.searchPageState.cat1.searchResults.listResults",
  ) as Card[];
  assert(cards.some((card) => card.zpid === record.zpid));
  assert(cards.length < 41, "only homes inside the box");
});

Deno.test("createMarketHandler() serves recently sold searches with sold cards", async () => {
  const handler = handlerAt({ defaultExpected: 100 });
  const html = await (await get(handler, "/homes/recently_sold/77001_rb/")).text();
  const cards = pick(
    readNextData(html),
    "props.pageProps.searchPageState.cat1.searchResults.listResults",
  ) as Card[];
  assert(cards.length > 0);
  assert(
    cards.every((card) => card.statusType === "RECENTLY_SOLD" && pick(card, "hdpData.homeInfo.dateSold")),
  );
});
