import { assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { parseKnobs } from "../../config.ts";
import { FETCH_KNOBS } from "./config.ts";

const parseFetch = (env: Record<string, string>) =>
  parseKnobs({ component: "miner", table: FETCH_KNOBS }, env);
import { createLogger } from "../../log.ts";
import { createRegistry } from "../../metrics.ts";
import { createFetchStack, type FetchStackDeps } from "./fetch_stack.ts";
import { PageFetchError } from "./fetch_errors.ts";
import { serveScrapingApi } from "../../../tests/harness/fake_scraping_api.ts";
import { serveMarket } from "../../../tests/harness/market_server.ts";

const KEY = "sk_live_4f9a/b+c";
// Fast knobs: no jitter and a large per-minute budget (deps pin random() to 0, so backoff is 0 too).
const FAST = { REQUESTS_PER_MINUTE: "6000", FETCH_JITTER_MS: "0", FETCH_TIMEOUT_MS: "5000" };

function deps(lines: string[] = [], overrides: Partial<FetchStackDeps> = {}): FetchStackDeps {
  return {
    logger: createLogger({
      sink: (line) => lines.push(line),
      level: "debug",
      clock: { now: () => new Date() },
    }),
    metrics: createRegistry(),
    random: () => 0,
    ...overrides,
  };
}

Deno.test("createFetchStack() uses the direct exit when no proxy is configured", async () => {
  const market = serveMarket();
  const fetcher = await createFetchStack(parseFetch(FAST), deps());
  try {
    const page = await fetcher.fetch({ url: `${market.origin}/homes/for_sale/77001_rb/`, kind: "search" });
    assertEquals([page.status, page.exit], [200, "direct"]);
    assertEquals(fetcher.stats().exits.map((exit) => exit.name), ["direct"]);
  } finally {
    fetcher.close();
    await market.shutdown();
  }
});

Deno.test("createFetchStack() makes one exit per distinct proxy of PROXY_URLS and PROXY_FILE", async () => {
  const market = serveMarket({ extraPorts: 3 });
  const [p1, p2, p3] = market.proxyUrls;
  const files: Record<string, string> = {
    "/etc/proxies.txt": `# sticky sessions\n\n${p2}\n${p3.replace("//", "//sess-9:pw@")}\n`,
  };
  const config = parseFetch({ ...FAST, PROXY_URLS: `${p1}, ${p2}`, PROXY_FILE: "/etc/proxies.txt" });
  const fetcher = await createFetchStack(
    config,
    deps([], { readTextFile: (path) => Promise.resolve(files[path]) }),
  );
  try {
    const names = fetcher.stats().exits.map((exit) => exit.name);
    assertEquals(names, [1, 2, 3].map((n, i) => `proxy-${n}:${[p1, p2, p3][i].slice("http://".length)}`));
    const pages = await Promise.all(
      [1, 2, 3].map((n) =>
        fetcher.fetch({ url: `http://www.zillow.test/homes/for_sale/7700${n}_rb/`, kind: "search" })
      ),
    );
    assertEquals(pages.map((page) => page.status), [200, 200, 200]);
    const stats = await (await fetch(`${market.origin}/__sim/stats`)).json();
    const expected = [`port:${new URL(p1).port}`, `port:${new URL(p2).port}`, "proxy:sess-9"];
    assertEquals(Object.keys(stats.clients).sort(), expected.sort());
  } finally {
    fetcher.close();
    await market.shutdown();
  }
});

Deno.test("createFetchStack() routes SCRAPER_API_KINDS to the scraping API, key never logged", async () => {
  const market = serveMarket();
  const provider = serveScrapingApi({ key: KEY, market: market.handler });
  const lines: string[] = [];
  const stackDeps = deps(lines);
  const config = parseFetch({
    ...FAST,
    SCRAPER_API_URL_TEMPLATE: provider.template("spb"),
    SCRAPER_API_KEY: KEY,
    SCRAPER_API_KINDS: "detail",
  });
  const fetcher = await createFetchStack(config, stackDeps);
  try {
    const inventory = await (await fetch(`${market.origin}/__sim/inventory/77001`)).json();
    const detail = await fetcher.fetch({ url: inventory.listings[0].url, kind: "detail" });
    const search = await fetcher.fetch({ url: `${market.origin}/homes/for_sale/77001_rb/`, kind: "search" });
    assertMatch(detail.exit, /^scraper-api:127\.0\.0\.1:\d+$/);
    assertEquals([detail.status, search.exit], [200, "direct"]);
    assertEquals(provider.calls.length, 1);
    const printed = lines.join("\n") + stackDeps.metrics.render();
    assertMatch(printed, /"msg":"page attempt"/);
    assertEquals(printed.includes(KEY) || printed.includes(encodeURIComponent(KEY)), false);
  } finally {
    fetcher.close();
    await provider.shutdown();
    await market.shutdown();
  }
});

Deno.test("createFetchStack() keeps the key out of a failing provider's errors and logs", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const template = `http://127.0.0.1:${listener.addr.port}/?key={key}&url={url}`;
  listener.close();
  const lines: string[] = [];
  const config = parseFetch({
    ...FAST,
    SCRAPER_API_URL_TEMPLATE: template,
    SCRAPER_API_KEY: KEY,
    FETCH_RETRIES: "1",
  });
  const fetcher = await createFetchStack(config, deps(lines));
  try {
    const error = await assertRejects(
      () => fetcher.fetch({ url: "https://www.zillow.com/homedetails/a/1_zpid/", kind: "detail" }),
      PageFetchError,
      "2 attempts",
    );
    const printed = `${error.message}\n${lines.join("\n")}`;
    assertMatch(printed, /Cannot reach the scraping API/);
    assertEquals(printed.includes(KEY) || printed.includes(encodeURIComponent(KEY)), false);
  } finally {
    fetcher.close();
  }
});

Deno.test("createFetchStack() fails fast on unusable fetch knobs", async () => {
  const noFile = () => Promise.reject(new Deno.errors.NotFound("No such file or directory"));
  await assertRejects(
    () =>
      createFetchStack(
        parseFetch({ PROXY_FILE: "/missing.txt" }),
        deps([], { readTextFile: noFile }),
      ),
    Error,
    'Cannot read PROXY_FILE "/missing.txt"',
  );
  const badProxy = await assertRejects(
    () =>
      createFetchStack(
        parseFetch({ PROXY_URLS: "http://127.0.0.1:1,socks5://u:pw1234@gw:1080" }),
        deps(),
      ),
    TypeError,
    '"gw:1080"',
  );
  assertEquals(badProxy.message.includes("pw1234"), false);
  await assertRejects(
    () =>
      createFetchStack(
        parseFetch({ SCRAPER_API_URL_TEMPLATE: "https://api.example/?u={url}&k={key}" }),
        deps(),
      ),
    TypeError,
    "SCRAPER_API_KEY is empty",
  );
});
