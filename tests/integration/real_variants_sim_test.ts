/**
 * The crawler and the spot check against the simulator serving the real page variants (MARKET_REAL_VARIANTS,
 * tests/sim/real_variants.ts): building cards without zpid or ZIP, community links, map-style cards,
 * totals that disagree with the page count, off-market pages with the Zestimate as price, detail
 * properties without hdpUrl.
 * @module
 */
import { assert, assertEquals } from "../assert.ts";
import { crawlZip } from "../../miner/scrape/crawl_zip.ts";
import { parseSearchPage } from "../../shared/listing_site/search_page.ts";
import {
  frozenMarket,
  inventoryTruth,
  SIM_AT,
  SIM_BASE,
  simFetcher,
} from "../fixtures/listing_site/sim_fetcher.ts";
import { spotCheck } from "../../validator/spot_check.ts";

const ZIPS = [
  { zip: "77001", expected: 1500 },
  { zip: "77005", expected: 160, city: "Houston", state: "TX", latitude: 29.72, longitude: -95.42 },
];
const PROTOCOL = {
  epochId: "2026-03-01T12-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
};
const options = { seed: "real-variants", zips: ZIPS, realVariants: true };

function crawl(zip: string, detail: "all" | "none", warnings: string[] = []) {
  const fetcher = simFetcher(frozenMarket(options));
  return crawlZip(zip, {
    fetcher,
    baseUrl: SIM_BASE,
    detail,
    clock: { now: () => SIM_AT },
    ...PROTOCOL,
    onWarning: (message) => warnings.push(message),
  });
}

Deno.test("the simulator serves the real variants only when asked", async () => {
  const pageOf = async (realVariants: boolean) => {
    const response = await simFetcher(frozenMarket({ ...options, realVariants })).fetch({
      url: `${SIM_BASE}/homes/for_sale/77001_rb/`,
      kind: "search",
    });
    return parseSearchPage(response.body);
  };
  const real = await pageOf(true);
  const plain = await pageOf(false);
  assert(real.totalPages < Math.ceil(real.totalResultCount / 41), `${real.totalPages} pages reported`);
  assertEquals(plain.totalPages, Math.min(20, Math.ceil(plain.totalResultCount / 41)));
  const buildings = real.listResults.filter((card) => card.isBuilding === true);
  assert(buildings.length > 0 && buildings.every((card) => card.zpid === undefined && !card.addressZipcode));
  assert(buildings.some((card) => String(card.detailUrl).startsWith("/community/")));
  assert(real.listResults.some((card) => typeof card.timeOnZillow === "number"), "map-style cards");
  assert(plain.listResults.every((card) => card.timeOnZillow === undefined));
});

Deno.test("crawlZip() on the real variants finds exactly the for-sale truth, search and detail facts", async () => {
  const truthOf = (zip: string) => inventoryTruth(frozenMarket(options), zip);
  for (const [zip, detail] of [["77001", "none"], ["77005", "all"]] as const) {
    const truth = await truthOf(zip);
    const warnings: string[] = [];
    const { records, stats } = await crawl(zip, detail, warnings);
    assertEquals(records.map((r) => r.zpid).sort(), truth.listings.map((l) => l.zpid).sort(), zip);
    // Buildings with few units in a band show as plain cards, so fewer pages than buildings are expanded.
    assert(stats.buildings > 0 && stats.buildings <= truth.buildings.length, `${zip}: ${stats.buildings}`);
    assertEquals(stats.buildingsFailed, 0, zip);
    assertEquals([stats.dropped.otherZip, stats.dropped.nonNumeric, stats.dropped.invalid], [0, 0, 0], zip);
    const byZpid = new Map(truth.listings.map((listing) => [listing.zpid, listing]));
    for (const record of records) {
      const expected = byZpid.get(record.zpid)!;
      for (const key of ["url", "street", "price", "bedrooms"] as const) {
        assertEquals(record[key], expected[key], `${record.zpid}: ${key}`);
      }
      if (detail === "all") assertEquals(record.listed_date, expected.listed_date, `${record.zpid}: listed`);
    }
    // Cards date their listing (map-style ones from the card's own timeOnZillow); building units do not.
    const units = new Set(truth.buildings.flatMap((building) => building.units));
    const cards = records.filter((record) => !units.has(record.zpid));
    assert(cards.every((record) => record.listed_date !== null), `${zip}: every card is dated`);
    if (detail === "all") assertEquals(stats.detailFailed, 0);
    assertEquals(warnings.length, stats.totalMismatches);
  }
});

Deno.test("spotCheck() on the real variants: delisted homes' Zestimate pages leave honest claims valid", async () => {
  const { records } = await crawl("77005", "none");
  const later = new Date(SIM_AT.getTime() + 45 * 86_400_000);
  const market = frozenMarket({ ...options, marketTime: () => later });
  const deps = { fetcher: simFetcher(market, "validator"), siteUrl: SIM_BASE };
  let offMarket = 0;
  for (const claim of records) {
    const verdict = await spotCheck(deps, "m", claim.zpid, claim);
    const page = await deps.fetcher.fetch({
      url: `${SIM_BASE}/homedetails/x/${claim.zpid}_zpid/`,
      kind: "detail",
    });
    if (page.status !== 200 || !page.body.includes('\\"hdpTypeDimension\\":\\"Zestimate\\"')) continue;
    offMarket++;
    assertEquals([claim.zpid, verdict.outcome], [claim.zpid, "valid"], verdict.reason);
  }
  assert(offMarket > 0, "some claimed homes were delisted 45 days later");
});
