import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { parseDocument } from "../../tests/sim/page_reader.ts";
import { barChart, legendHtml, rankChart } from "./svg_chart.ts";

const parse = (svg: string) => parseDocument(`<!doctype html><html><body>${svg}</body></html>`);

const EPOCHS = ["10-01 08:00", "10-01 12:00", "10-01 16:00"];

Deno.test("barChart() draws one bar per non-null value, scaled on a zero-based axis with round ticks", () => {
  const svg = barChart({
    title: "Listings per epoch",
    categories: EPOCHS,
    series: [{ name: "expected", values: [10_000, 9_800, 10_400] }, {
      name: "validated",
      values: [8_000, null, 0],
    }],
    emptyMessage: "none",
  });
  const doc = parse(svg);
  const bars = [...doc.querySelectorAll("rect.bar")];
  assertEquals(bars.length, 5, "null draws nothing, 0 draws a flat bar");
  assertEquals(bars.filter((b) => b.getAttribute("class") === "bar s1").length, 2);
  const ticks = [...doc.querySelectorAll("text.tick")].map((t) => t.textContent);
  assertEquals(ticks.slice(0, 7), ["0", "2k", "4k", "6k", "8k", "10k", "12k"]);
  // The axis tops out at 12k, so a 12k bar would be the full plot height and 10.4k is 10.4/12 of it.
  const heights = bars.map((b) => Number(b.getAttribute("height")));
  const full = heights[0] / (10_000 / 12_000);
  assert(Math.abs(heights[3] / full - 10_400 / 12_000) < 0.01, `heights ${heights}`);
  assertMatch(bars[0].querySelector("title")!.textContent!, /10-01 08:00 expected: 10,000/);
});

Deno.test("charts say why they are empty instead of drawing axes", () => {
  const empty = barChart({ title: "t", categories: [], series: [], emptyMessage: "No judged epochs yet" });
  assertMatch(empty, /class="chart no-data"/);
  assertMatch(empty, /No judged epochs yet/);
  const unranked = rankChart({
    title: "t",
    categories: EPOCHS,
    lines: [{ label: "a", ranks: [null, null, null] }],
    emptyMessage: "No ranked miners",
  });
  assertMatch(unranked, /No ranked miners/);
  assertEquals(parse(unranked).querySelectorAll("polyline").length, 0);
});

Deno.test("rankChart() puts rank 1 on top and breaks a line where the miner was unranked", () => {
  const doc = parse(rankChart({
    title: "Rank",
    categories: [...EPOCHS, "10-01 20:00"],
    lines: [{ label: "5Alpha", ranks: [1, 2, null, 1] }, { label: "5Beta", ranks: [2, 1, 1, 2] }],
    emptyMessage: "none",
  }));
  const [alpha, beta] = [...doc.querySelectorAll("g.rank-line")];
  assertEquals(alpha.getAttribute("data-miner"), "5Alpha");
  assertEquals(alpha.querySelectorAll("polyline").length, 1, "the gap leaves one two-point segment");
  assertEquals(alpha.querySelectorAll("circle").length, 3);
  assertEquals(beta.querySelectorAll("polyline").length, 1);
  const ys = [...beta.querySelectorAll("circle")].map((c) => Number(c.getAttribute("cy")));
  assert(ys[1] < ys[0], "rank 1 is drawn above rank 2");
  assertEquals([...doc.querySelectorAll("text.tick")].slice(0, 2).map((t) => t.textContent), ["#1", "#2"]);
});

Deno.test("x labels thin out when they would overlap, always keeping the newest", () => {
  const categories = Array.from({ length: 24 }, (_, i) => `10-${String(i + 1).padStart(2, "0")} 16:00`);
  const doc = parse(barChart({
    title: "t",
    categories,
    series: [{ name: "expected", values: categories.map(() => 100) }],
    emptyMessage: "none",
  }));
  const labels = [...doc.querySelectorAll("text.tick")].map((t) => t.textContent).filter((t) =>
    t!.includes(":")
  );
  assert(labels.length < 24 && labels.length >= 4, `${labels.length} labels`);
  assertEquals(labels.at(-1), "10-24 16:00");
});

Deno.test("chart text from data is escaped", () => {
  const svg = rankChart({
    title: `<b>"ranks"</b>`,
    categories: ["<i>e</i>"],
    lines: [{ label: `"><script>x</script>`, ranks: [1] }],
    emptyMessage: "none",
  });
  assert(!svg.includes("<script>") && !svg.includes("<b>") && !svg.includes("<i>"), svg);
  assertMatch(legendHtml([`<img src=x>`]), /&lt;img src=x&gt;/);
});
