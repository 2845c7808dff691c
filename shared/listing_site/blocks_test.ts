import { assertEquals } from "../../tests/assert.ts";
import { loadFixture } from "../../tests/fixtures/listing_site/fixtures.ts";
import type { PageKind } from "../ports.ts";
import { classifyPage, type PageStatus } from "./blocks.ts";

const CASES: Array<[string, PageKind, PageStatus, string]> = [
  ["sim_search_p1", "search", "ok", "status 200"],
  ["sim_detail_priority", "detail", "ok", "status 200"],
  ["sim_search_api", "api", "ok", "status 200"],
  ["sim_building", "building", "ok", "status 200"],
  ["search_mixed", "search", "ok", "status 200"],
  ["search_soft_block", "search", "ok", "status 200"],
  ["sim_blocked", "search", "blocked", "x-px-blocked header"],
  ["sim_blocked_api", "api", "blocked", "x-px-blocked header"],
  ["sim_captcha_redirect", "detail", "blocked", "redirect to the captcha page"],
  ["block_redirect", "detail", "blocked", "redirect to the captcha page"],
  ["block_403_without_header", "detail", "blocked", "PerimeterX challenge page"],
  ["block_soft_200", "search", "blocked", "PerimeterX challenge page"],
  ["block_json_200", "api", "blocked", "PerimeterX challenge JSON"],
  ["sim_rate_limited", "search", "rate_limited", "status 429"],
  ["rate_limited", "search", "rate_limited", "status 429"],
  ["sim_not_found", "detail", "not_found", "status 404"],
];

Deno.test("classifyPage() tells pages, blocks, rate limits and misses apart on every fixture", async () => {
  for (const [name, kind, status, reason] of CASES) {
    assertEquals(classifyPage(await loadFixture(name), kind), { status, reason }, name);
  }
});

Deno.test("classifyPage() does not call a page blocked for its PX sensor or the word captcha", async () => {
  const page = await loadFixture("search_mixed");
  for (const marker of ["window._pxAppId", "captcha"]) {
    assertEquals(page.body.includes(marker), true, marker);
  }
  assertEquals(classifyPage(page).status, "ok");
  const plain = { ...page, body: "<html><body>Please solve the captcha widget below</body></html>" };
  assertEquals(classifyPage(plain).status, "ok");
});

Deno.test("classifyPage() treats a detail request that ended on a search page as not found", async () => {
  const response = await loadFixture("detail_redirected_to_search");
  assertEquals(classifyPage(response, "detail").status, "not_found");
  assertEquals(classifyPage(response, "search").status, "ok");
  const moved = {
    ...response,
    status: 301,
    url: "https://x/homedetails/a/1_zpid/",
    headers: { Location: "/homes/" },
  };
  assertEquals(classifyPage(moved, "detail"), {
    status: "not_found",
    reason: "redirected off the detail page to /homes/",
  });
  assertEquals(classifyPage(moved, "search"), { status: "error", reason: "status 301" });
});

Deno.test("classifyPage() reads headers in any case and reports other failures as errors", () => {
  const base = { url: "https://www.zillow.com/homes/for_sale/30301_rb/", body: "", exit: "test" };
  assertEquals(classifyPage({ ...base, status: 200, headers: { "X-PX-Blocked": "1" } }).status, "blocked");
  assertEquals(classifyPage({ ...base, status: 403, headers: {} }), {
    status: "blocked",
    reason: "status 403",
  });
  assertEquals(classifyPage({ ...base, status: 410, headers: {} }).status, "not_found");
  assertEquals(classifyPage({ ...base, status: 503, headers: {} }), {
    status: "error",
    reason: "status 503",
  });
  const big = {
    ...base,
    status: 200,
    headers: {},
    body: `{"appId":"x","blockScript":"y","pad":"${"z".repeat(20_000)}"}`,
  };
  assertEquals(classifyPage(big).status, "ok", "a large JSON answer is not a challenge descriptor");
});
