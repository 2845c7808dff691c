import { assertEquals } from "../assert.ts";
import { crawlZip } from "../../miner/scrape/crawl_zip.ts";
import { frozenMarket, SIM_AT, SIM_BASE, simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import { spotCheck } from "../../validator/spot_check.ts";

const ZIPS = [{
  zip: "77005",
  expected: 120,
  city: "Houston",
  state: "TX",
  latitude: 29.72,
  longitude: -95.42,
}];
const PROTOCOL = {
  epochId: "2026-03-01T12-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
};

Deno.test("spotCheck() confirms real listings and refuses altered or invented ones", async () => {
  const market = frozenMarket({ seed: "spot", zips: ZIPS, buildingShare: 0 });
  const { records } = await crawlZip("77005", {
    fetcher: simFetcher(market),
    baseUrl: SIM_BASE,
    detail: "none",
    clock: { now: () => SIM_AT },
    ...PROTOCOL,
  });
  const deps = { fetcher: simFetcher(market, "validator"), siteUrl: SIM_BASE };
  const real = records[0];
  assertEquals((await spotCheck(deps, "m", real.zpid, real)).outcome, "valid");
  const altered = { ...real, bedrooms: (real.bedrooms ?? 0) + 3 };
  const verdict = await spotCheck(deps, "m", real.zpid, altered);
  assertEquals([verdict.outcome, verdict.reason?.startsWith("bedrooms")], ["invalid", true]);
  const invented = { ...real, zpid: "999999999" };
  assertEquals(await spotCheck(deps, "m", invented.zpid, invented), {
    miner: "m",
    zpid: "999999999",
    outcome: "invalid",
    reason: "listing not found on the site (twice)",
  });
  assertEquals((await spotCheck(deps, "m", real.zpid, undefined)).outcome, "unknown");
});

Deno.test("spotCheck() leaves a blocked check unknown", async () => {
  const blocked = frozenMarket({ seed: "spot", zips: ZIPS, buildingShare: 0, blockRate: 1 });
  const calm = frozenMarket({ seed: "spot", zips: ZIPS, buildingShare: 0 });
  const { records } = await crawlZip("77005", {
    fetcher: simFetcher(calm),
    baseUrl: SIM_BASE,
    detail: "none",
    clock: { now: () => SIM_AT },
    ...PROTOCOL,
  });
  const verdict = await spotCheck(
    { fetcher: simFetcher(blocked), siteUrl: SIM_BASE },
    "m",
    records[0].zpid,
    records[0],
  );
  assertEquals(verdict.outcome, "unknown");
});
