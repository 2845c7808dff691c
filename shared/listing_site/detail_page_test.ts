import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { fixtureBody, loadFixture } from "../../tests/fixtures/listing_site/fixtures.ts";
import { readDetailProperty } from "../../tests/sim/page_reader.ts";
import { parseDetailPage } from "./detail_page.ts";
import { PageParseError } from "./page_json.ts";
import { zpidFromUrl } from "./urls.ts";

const SIM_DETAILS = [
  "sim_detail_priority",
  "sim_detail_full_render",
  "sim_detail_double_scroll",
  "sim_detail_variant",
  "sim_detail_sold",
  "sim_detail_script",
  "sim_detail_reso_year",
];

Deno.test("parseDetailPage() finds the property under every key style, whatever the key names", async () => {
  for (const name of SIM_DETAILS) {
    const page = await loadFixture(name);
    const zpid = zpidFromUrl(page.url)!;
    const property = parseDetailPage(page.body, zpid);
    assertEquals(property, readDetailProperty(page.body, Number(zpid)), name);
    assertEquals(property!.zpid, Number(zpid), name);
    assert(Object.keys(property!).length > 40, `${name}: the full entry, not the partial one`);
  }
});

Deno.test("parseDetailPage() prefers the richest of several entries for the zpid and skips other zpids", async () => {
  const html = await fixtureBody("detail_variant");
  const property = parseDetailPage(html, "200000101")!;
  assertEquals(property.yearBuilt, 1994);
  assertEquals((property.priceHistory as unknown[]).length, 4);
  assertEquals(parseDetailPage(html, "200000999")!.price, 1);
  assertEquals(parseDetailPage(await fixtureBody("detail_no_match"), "200000109"), null);
});

Deno.test("parseDetailPage() keeps an escaped </script> and non-ASCII text in the description", async () => {
  const property = parseDetailPage(await fixtureBody("detail_script_escape"), "200000102")!;
  assertEquals(
    property.description,
    "Corner unit. Agent note: <b>no</b> sign</script><script>alert('x')</script> — Smart Home\u00ae ready & wired.",
  );
  const sim = await loadFixture("sim_detail_script");
  assert(String(parseDetailPage(sim.body, zpidFromUrl(sim.url)!)!.description).includes("</script>"));
});

Deno.test("parseDetailPage() reads the mid-2023 pageProps layout and the legacy Apollo layout", async () => {
  assertEquals(parseDetailPage(await fixtureBody("detail_page_props"), "200000103")!.lotSize, 55321);
  const apollo = parseDetailPage(await fixtureBody("detail_apollo"), "200000107")!;
  assertEquals([apollo.homeStatus, apollo.price], ["PENDING", 299000]);
});

Deno.test("parseDetailPage() accepts a cache that is already an object", () => {
  const data = {
    props: {
      pageProps: {
        componentProps: { gdpClientCache: { 'Q{"zpid":5}': { property: { zpid: 5, price: 9 } } } },
      },
    },
  };
  const html = `<script id="__NEXT_DATA__">${JSON.stringify(data)}</script>`;
  assertEquals(parseDetailPage(html, "5"), { zpid: 5, price: 9 });
});

Deno.test("parseDetailPage() fails clearly on pages without a cache and on a malformed cache", async () => {
  assertThrows(
    () => parseDetailPage("<html></html>", "1"),
    PageParseError,
    'expected a gdpClientCache or hdpApolloPreloadedData (page "undefined")',
  );
  const notFound = await fixtureBody("sim_not_found");
  assertThrows(() => parseDetailPage(notFound, "1"), PageParseError, '(page "/_error")');
  const broken = `<script id="__NEXT_DATA__">${
    JSON.stringify({ props: { pageProps: { componentProps: { gdpClientCache: '{"Q":' } } } })
  }</script>`;
  assertThrows(
    () => parseDetailPage(broken, "1"),
    PageParseError,
    "Cannot parse detail page gdpClientCache: expected JSON",
  );
  const arrayCache = `<script id="__NEXT_DATA__">${
    JSON.stringify({ props: { pageProps: { componentProps: { gdpClientCache: "[1]" } } } })
  }</script>`;
  assertThrows(() => parseDetailPage(arrayCache, "1"), PageParseError, "expected a JSON object");
});
