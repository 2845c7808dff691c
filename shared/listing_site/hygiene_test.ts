import { assertEquals } from "../../tests/assert.ts";
import { fixtureBody } from "../../tests/fixtures/listing_site/fixtures.ts";
import { classifyCard, isUnitForSale } from "./hygiene.ts";
import { parseSearchPage } from "./search_page.ts";

Deno.test("classifyCard() sorts every card of the mixed page", async () => {
  const cards = parseSearchPage(await fixtureBody("search_mixed")).listResults;
  assertEquals(cards.map((card) => classifyCard(card, "30301")), [
    { kind: "listing", zpid: "200000101" },
    { kind: "listing", zpid: "200000102" },
    { kind: "listing", zpid: "200000103" },
    { kind: "relaxed" },
    { kind: "otherZip" },
    {
      kind: "building",
      url: "/b/the-mill-lofts-fairbrook-ga/33.75010,-84.39020_ll/",
      collection: "building",
    },
    { kind: "notForSale" },
    { kind: "building", url: "/community/meadow-park/29384756_plid/", collection: "community" },
    { kind: "listing", zpid: "200000107" },
    { kind: "relaxed" },
  ]);
});

Deno.test("classifyCard() reads the ZIP and zpid from homeInfo and recognizes buildings by link", () => {
  const card = { zpid: 12, hdpData: { homeInfo: { zipcode: "30301-2231" } } };
  assertEquals(classifyCard(card, "30301"), { kind: "listing", zpid: "12" });
  assertEquals(classifyCard({}, "30301"), { kind: "nonNumeric" });
  assertEquals(classifyCard({ zpid: 13 }, "30301"), { kind: "otherZip" });
  const building = { zpid: "1.5--2.5", addressZipcode: "30301", detailUrl: "/apartments/fairbrook-ga/x/1/" };
  assertEquals(classifyCard(building, "30301"), {
    kind: "building",
    url: "/apartments/fairbrook-ga/x/1/",
    collection: "building",
  });
  assertEquals(classifyCard({ ...building, detailUrl: "not a link" }, "30301"), { kind: "nonNumeric" });
  assertEquals(classifyCard({ ...card, statusType: "FOR_RENT" }, "30301"), { kind: "notForSale" });
});

Deno.test("isUnitForSale() drops building units listed for rent or off the market", () => {
  assertEquals(
    [{ homeStatus: "FOR_SALE" }, { listingType: "FOR_SALE" }, {}, { homeStatus: "PENDING" }].map(
      isUnitForSale,
    ),
    [true, true, true, true],
  );
  assertEquals(
    [{ listingType: "FOR_RENT" }, { listingType: "OTHER" }, { homeStatus: "RECENTLY_SOLD" }].map(
      isUnitForSale,
    ),
    [false, false, false],
  );
});
