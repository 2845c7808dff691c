import { assertEquals, assertMatch } from "../../tests/assert.ts";
import { escapeXml, formatTick, noData, px } from "./svg.ts";

Deno.test("escapeXml() escapes markup and both quote kinds", () => {
  assertEquals(
    escapeXml(`<script>alert("x" & 'y')</script>`),
    "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
  );
});

Deno.test("formatTick() and px() keep labels and coordinates short", () => {
  assertEquals(
    [
      formatTick(0),
      formatTick(250),
      formatTick(1500),
      formatTick(12_000),
      formatTick(2_500_000),
      formatTick(0.25),
    ],
    ["0", "250", "1.5k", "12k", "2.5M", "0.25"],
  );
  assertEquals([px(12.345), px(-0.04), px(7)], ["12.3", "0", "7"]);
});

Deno.test("noData() is a labelled picture with its message escaped", () => {
  const svg = noData(100, 50, "Listings <per epoch>", "No epochs & no reports");
  assertMatch(svg, /role="img" aria-label="Listings &lt;per epoch&gt;"/);
  assertMatch(svg, /<text[^>]*>No epochs &amp; no reports<\/text>/);
});
