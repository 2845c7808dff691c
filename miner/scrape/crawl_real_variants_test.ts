/**
 * The crawler on the real page variants of issue #16: totals that disagree with the page count (item 6)
 * and building pages that fail (item 2), on hand-built answers around real building cards.
 * @module
 */
import { assertEquals } from "../../tests/assert.ts";
import { realCards, searchAnswer } from "../../tests/fixtures/real/real_pages.ts";
import type { JsonObject } from "../../shared/listing_site/page_json.ts";
import type { PageFetcher, PageRequest, PageResponse } from "../../shared/ports.ts";
import { crawlZip } from "./crawl_zip.ts";

const SITE = "https://www.zillow.com";
const ZIP = "94112";
const PROTOCOL = {
  epochId: "2026-03-01T12-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
};

function card(i: number): JsonObject {
  const zpid = 15_100_000 + i;
  return {
    zpid: String(zpid),
    detailUrl: `/homedetails/${i}-Lakeview-Ave-San-Francisco-CA-${ZIP}/${zpid}_zpid/`,
    statusType: "FOR_SALE",
    price: "$850,000",
    hdpData: {
      homeInfo: {
        zpid,
        streetAddress: `${i} Lakeview Ave`,
        city: "San Francisco",
        state: "CA",
        zipcode: ZIP,
      },
    },
  };
}

function page(answer: JsonObject): string {
  const next = JSON.stringify({ props: { pageProps: { searchPageState: answer } } });
  return `<html><body><script id="__NEXT_DATA__" type="application/json">${next}</script></body></html>`;
}

/** Serves `pages` (1-based) of the ZIP's search, each answer saying `total` and `totalPages`. */
function fetcherOf(
  pages: JsonObject[][],
  total: number,
  totalPages: number,
  extra: Record<string, string> = {},
) {
  const requests: string[] = [];
  const fetcher: PageFetcher = {
    fetch(request: PageRequest): Promise<PageResponse> {
      requests.push(request.url);
      const n = Number(request.url.match(/\/(\d+)_p\//)?.[1] ?? 1);
      const path = new URL(request.url).pathname;
      const body = path.startsWith(`/homes/for_sale/${ZIP}_rb/`)
        ? page(searchAnswer(pages[n - 1] ?? [], total, totalPages))
        : extra[path];
      const status = body === undefined ? 404 : 200;
      return Promise.resolve({
        status,
        url: request.url,
        headers: {},
        body: body ?? "not found",
        exit: "test",
      });
    },
  };
  return { fetcher, requests };
}

function options(fetcher: PageFetcher, warnings: string[]) {
  return {
    fetcher,
    baseUrl: SITE,
    detail: "none" as const,
    clock: { now: () => new Date("2026-03-01T12:30:00Z") },
    ...PROTOCOL,
    onWarning: (message: string) => warnings.push(message),
  };
}

Deno.test("crawlZip() pages past a totalPages of 1 until the 91 results are in", async () => {
  const cards = Array.from({ length: 91 }, (_, i) => card(i + 1));
  const pages = [cards.slice(0, 41), cards.slice(41, 82), cards.slice(82)];
  const { fetcher, requests } = fetcherOf(pages, 91, 1);
  const warnings: string[] = [];
  const { records, stats } = await crawlZip(ZIP, options(fetcher, warnings));
  assertEquals(records.length, 91);
  assertEquals([stats.pages, requests.length, stats.totalMismatches], [3, 3, 0]);
  assertEquals(warnings, []);
});

Deno.test("crawlZip() stops at a page that adds nothing new and reports the disagreement", async () => {
  const cards = Array.from({ length: 36 }, (_, i) => card(i + 1));
  const { fetcher, requests } = fetcherOf([cards, cards], 91, 1); // page 2 repeats page 1
  const warnings: string[] = [];
  const { records, stats } = await crawlZip(ZIP, options(fetcher, warnings));
  assertEquals([records.length, stats.pages, requests.length, stats.totalMismatches], [36, 2, 2, 1]);
  assertEquals(warnings, ["ZIP 94112, the ZIP: the page reports 91 results (1 pages), its cards 36"]);
});

Deno.test("crawlZip() skips real building and community cards whose pages fail, and keeps crawling", async () => {
  const collections = (await realCards("sf_list_results_2024-02-05.json")).filter((c) =>
    c.zpid === undefined
  );
  const homes = [card(1), card(2)];
  const { fetcher } = fetcherOf([[...collections, ...homes]], 2 + collections.length, 1, {
    [String(collections[0].detailUrl)]: "<html><body>a community page layout no parser knows</body></html>",
  });
  const warnings: string[] = [];
  const { records, stats } = await crawlZip(ZIP, options(fetcher, warnings));
  assertEquals(records.map((r) => r.zpid), ["15100001", "15100002"]);
  assertEquals([stats.buildings, stats.buildingsFailed], [0, collections.length]);
  assertEquals(warnings.length, collections.length);
  assertEquals(
    warnings[0],
    `ZIP 94112: skipped building page ${
      collections[0].detailUrl
    }: Cannot parse building page: expected a __NEXT_DATA__ script`,
  );
});
