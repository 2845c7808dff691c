import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { createLogger } from "../../log.ts";
import { createRegistry } from "../../metrics.ts";
import { createPrng } from "../../prng.ts";
import type { PageRequest, PageResponse } from "../../ports.ts";
import {
  createMarketHandler,
  type MarketHandlerOptions,
  type RequestLogEntry,
} from "../../../tests/sim/server.ts";
import type { Exit } from "./exit.ts";
import { PageFetchError, ScrapeBlockedError, ScraperApiError } from "./fetch_errors.ts";
import { createPacedFetcher, type PacedFetcherOptions } from "./paced_fetcher.ts";
import { createMarketExit } from "../../../tests/harness/market_exit.ts";
import { createVirtualTime, type VirtualTime } from "../../testing/virtual_time.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const SITE = "https://www.zillow.com";

function searchPage(page = 1): PageRequest {
  return { url: `${SITE}/homes/for_sale/77001_rb/${page > 1 ? `${page}_p/` : ""}`, kind: "search" };
}

/** A fetcher on virtual time over the exits `makeExits` builds (it gets the clock for its markets). */
function setup(makeExits: (time: VirtualTime) => Exit[], overrides: Partial<PacedFetcherOptions> = {}) {
  const time = createVirtualTime(T0);
  const lines: string[] = [];
  const metrics = createRegistry();
  const fetcher = createPacedFetcher({
    exits: makeExits(time),
    requestsPerMinute: 60,
    concurrency: 2,
    jitterMs: 0,
    timeoutMs: 10_000,
    retries: 3,
    blockCooldownMs: 300_000,
    maxConsecutiveBlocks: 5,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    logger: createLogger({ sink: (line) => lines.push(line), level: "debug", clock: time.clock }),
    metrics,
    ...overrides,
  });
  return { time, fetcher, lines, metrics };
}

function market(time: VirtualTime, options: Partial<MarketHandlerOptions> = {}) {
  return createMarketHandler({
    seed: "paced-fetcher-test",
    defaultExpected: 60,
    clock: time.clock,
    ...options,
  });
}

/** An exit that answers from a script: a status, or an error to throw; the last entry repeats. */
function scriptedExit(name: string, script: (number | Error)[]): Exit & { sent: number } {
  const exit = {
    name,
    sent: 0,
    send(request: PageRequest): Promise<PageResponse> {
      const next = script[Math.min(exit.sent++, script.length - 1)];
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve({
        status: next,
        url: request.url,
        headers: {},
        body: "<html></html>",
        exit: name,
      });
    },
  };
  return exit;
}

function maxInAnyMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] <= sorted[i] - 60_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

Deno.test("createPacedFetcher() spreads pages over the simulator's exits", async () => {
  const { time, fetcher, metrics } = setup((time) => {
    const handler = market(time, { strictHeaders: true });
    return [createMarketExit("a", handler), createMarketExit("b", handler)];
  });
  const pages = await time.run(
    Promise.all(Array.from({ length: 10 }, (_, i) => fetcher.fetch(searchPage(i + 1)))),
  );
  assertEquals(pages.map((page) => page.status), Array(10).fill(200));
  assertEquals(pages.filter((page) => page.exit === "a").length, 5);
  assertEquals(fetcher.stats().exits.map((exit) => exit.outcomes.ok), [5, 5]);
  assertMatch(metrics.render(), /zipmine_fetch_requests_total\{exit="a",kind="search",outcome="ok"\} 5/);
  fetcher.close();
});

Deno.test("createPacedFetcher() rests a blocked exit and gets the page through another", async () => {
  const { time, fetcher, metrics } = setup((time) => [
    createMarketExit("walled", market(time, { blockRate: 1 })),
    createMarketExit("open", market(time)),
  ], { maxConsecutiveBlocks: 2 });
  const first = await time.run(fetcher.fetch(searchPage(1)));
  assertEquals([first.status, first.exit], [200, "open"]);
  const walled = () => fetcher.stats().exits[0];
  assertEquals(walled().outcomes.blocked, 1);
  assertEquals(walled().restingUntil?.getTime(), T0 + 300_000);

  const second = await time.run(fetcher.fetch(searchPage(2)));
  assertEquals(second.exit, "open", "a resting exit is skipped");
  assertEquals(walled().outcomes.blocked, 1);

  await time.run(time.sleep(300_000));
  assertEquals(walled().restingUntil, null);
  const third = await time.run(fetcher.fetch(searchPage(3)));
  assertEquals(third.exit, "open");
  assertEquals(walled().outcomes.blocked, 2, "back from its rest, the exit is tried again");
  assertEquals(fetcher.stats().stopped, false, "successes in between reset the block count");
  assertMatch(metrics.render(), /zipmine_fetch_exit_rests_total\{exit="walled",reason="blocked"\} 2/);
  assertMatch(metrics.render(), /zipmine_fetch_retries_total\{kind="search",reason="blocked"\} 2/);
  fetcher.close();
});

Deno.test("createPacedFetcher() honours retry-after on a 429", async () => {
  const log: RequestLogEntry[] = [];
  const { time, fetcher } = setup((time) => [
    createMarketExit("only", market(time, { rateLimitPerMinute: 2, onRequest: (entry) => log.push(entry) })),
  ]);
  const pages = await time.run(Promise.all([1, 2, 3].map((page) => fetcher.fetch(searchPage(page)))));
  assertEquals(pages.map((page) => page.status), [200, 200, 200]);
  assertEquals(log.map((entry) => [Date.parse(entry.time) - T0, entry.status]), [
    [0, 200],
    [1_017, 200],
    [2_034, 429],
    // retry-after said 58 s: the exit rests until the site's window frees up, then the retry passes.
    [60_034, 200],
  ]);
  assertEquals(fetcher.stats().exits[0].outcomes.rate_limited, 1);
  assertEquals(fetcher.stats().consecutiveBlocks, 0, "a 429 is not a block");
  fetcher.close();
});

Deno.test("createPacedFetcher() stops with ScrapeBlockedError after repeated blocks", async () => {
  const { time, fetcher, lines } = setup((time) => [
    createMarketExit("a", market(time, { blockRate: 1 })),
    createMarketExit("b", market(time, { blockRate: 1 })),
  ], { maxConsecutiveBlocks: 3, retries: 10, blockCooldownMs: 60_000 });
  const error = await time.run(assertRejects(() => fetcher.fetch(searchPage()), ScrapeBlockedError));
  for (
    const hint of [
      "3 requests in a row",
      "a, b",
      "PROXY_URLS",
      "REQUESTS_PER_MINUTE",
      "SCRAPER_API_URL_TEMPLATE",
    ]
  ) {
    assertMatch(error.message, new RegExp(hint));
  }
  assertEquals(fetcher.stats().exits.map((exit) => exit.outcomes.blocked), [2, 1]);
  assertEquals(fetcher.stats().stopped, true);
  await assertRejects(() => fetcher.fetch(searchPage(2)), ScrapeBlockedError);
  assertEquals(fetcher.stats().exits.map((exit) => exit.outcomes.blocked), [2, 1], "nothing more is sent");
  assert(lines.some((line) => line.includes('"msg":"scraping stopped"')));
  fetcher.close();
});

Deno.test("createPacedFetcher() keeps each exit under its per-minute budget and uses it", async () => {
  const log: RequestLogEntry[] = [];
  const prng = createPrng("pacing");
  const { time, fetcher } = setup((time) => {
    const handler = market(time, { rateLimitPerMinute: 30, onRequest: (entry) => log.push(entry) });
    return [createMarketExit("a", handler), createMarketExit("b", handler)];
  }, { requestsPerMinute: 30, concurrency: 3, jitterMs: 1_500, random: () => prng.nextFloat() });
  const pages = await time.run(
    Promise.all(Array.from({ length: 150 }, (_, i) => fetcher.fetch(searchPage(i % 20 + 1)))),
  );
  assertEquals(pages.filter((page) => page.status === 200).length, 150);
  assertEquals(log.filter((entry) => entry.status === 429).length, 0);
  for (const client of ["a", "b"]) {
    const times = log.filter((entry) => entry.client === client).map((entry) => Date.parse(entry.time));
    assertEquals(times.length, 75);
    assertEquals(maxInAnyMinute(times), 30, `exit ${client} stays within 30 per minute`);
  }
  // 2 exits x 30/min: 150 requests need 150 s of budget; the fetcher may keep up to 5 % of it back.
  const elapsed = time.nowMs() - T0;
  const used = 150 / ((2 * 30 * elapsed) / 60_000);
  assert(used >= 0.95, `used ${(100 * used).toFixed(1)} % of the budget in ${elapsed} ms`);
  fetcher.close();
});

Deno.test("createPacedFetcher() returns a 404 as an answer, without retrying", async () => {
  const { time, fetcher } = setup((time) => [createMarketExit("a", market(time, { vanishRate: 1 }))]);
  const handler = market(time);
  const inventory = await (await handler(new Request(`${SITE}/__sim/inventory/77001`))).json();
  const page = await time.run(fetcher.fetch({ url: inventory.listings[0].url, kind: "detail" }));
  assertEquals(page.status, 404);
  assertEquals(fetcher.stats().retries, 0);
  fetcher.close();
});

Deno.test("createPacedFetcher() retries 5xx and transport failures but returns other 4xx", async () => {
  const flaky = scriptedExit("flaky", [new TypeError("connection reset"), 503, 200]);
  const { time, fetcher } = setup(() => [flaky]);
  assertEquals((await time.run(fetcher.fetch(searchPage()))).status, 200);
  assertEquals([flaky.sent, fetcher.stats().retries], [3, 2]);

  const refusing = scriptedExit("refusing", [400]);
  const second = setup(() => [refusing]);
  assertEquals((await second.time.run(second.fetcher.fetch(searchPage()))).status, 400);
  assertEquals(refusing.sent, 1);
  fetcher.close();
  second.fetcher.close();
});

Deno.test("createPacedFetcher() rejects with PageFetchError when no attempt gets an answer", async () => {
  const down = scriptedExit("down", [new TypeError("connection refused")]);
  const { time, fetcher } = setup(() => [down], { retries: 2 });
  const error = await time.run(
    assertRejects(() => fetcher.fetch(searchPage()), PageFetchError, "3 attempts"),
  );
  assertMatch(error.message, /connection refused/);
  assertEquals(down.sent, 3);
  fetcher.close();
});

Deno.test("createPacedFetcher() times out a hanging attempt and retries it", async () => {
  let sent = 0;
  const hanging: Exit = {
    name: "hanging",
    send: (_request, signal) => {
      sent++;
      return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    },
  };
  const { time, fetcher } = setup(() => [hanging], { timeoutMs: 20, retries: 1 });
  await time.run(assertRejects(() => fetcher.fetch(searchPage()), PageFetchError, "Timed out after 20 ms"));
  assertEquals([sent, fetcher.stats().exits[0].outcomes.failed], [2, 2]);
  fetcher.close();
});

Deno.test("createPacedFetcher() propagates errors that are not transport failures", async () => {
  const misconfigured = scriptedExit("api", [
    new ScraperApiError("Cannot use the scraping API: it answered 401"),
  ]);
  const { time, fetcher } = setup(() => [misconfigured]);
  await time.run(assertRejects(() => fetcher.fetch(searchPage()), ScraperApiError));
  assertEquals(misconfigured.sent, 1);
  fetcher.close();
});

Deno.test("createPacedFetcher() sends SCRAPER_API_KINDS through the scraping-API exit", async () => {
  const plain = scriptedExit("direct", [200]);
  const api = scriptedExit("scraper-api", [200]);
  const { time, fetcher } = setup(() => [plain], { scraperApi: { exit: api, kinds: ["detail"] } });
  const detail = await time.run(fetcher.fetch({ url: `${SITE}/homedetails/a/1_zpid/`, kind: "detail" }));
  const search = await time.run(fetcher.fetch(searchPage()));
  assertEquals([detail.exit, search.exit], ["scraper-api", "direct"]);
  assertEquals(fetcher.stats().exits.map((exit) => exit.name), ["direct", "scraper-api"]);
  fetcher.close();
});

Deno.test("createPacedFetcher() close() rejects waiting requests and closes the exits", async () => {
  const exits = [createMarketExit("a", createMarketHandler({ seed: "close", defaultExpected: 20 }))];
  const { time, fetcher } = setup(() => exits, { requestsPerMinute: 1, concurrency: 1 });
  const first = fetcher.fetch(searchPage(1));
  const waiting = Promise.allSettled([fetcher.fetch(searchPage(2)), fetcher.fetch(searchPage(3))]);
  assertEquals((await time.run(first)).status, 200);
  fetcher.close();
  const settled = await waiting;
  assertEquals(settled.map((result) => result.status), ["rejected", "rejected"]);
  assertMatch(String((settled[0] as PromiseRejectedResult).reason), /fetcher is closed/);
  assertEquals(exits[0].closed, true);
  assertEquals(exits[0].sent.length, 1);
  await assertRejects(() => fetcher.fetch(searchPage(4)), Error, "fetcher is closed");
});
