/**
 * The dashboard's charts as inline SVG markup: grouped bars (expected vs validated listings per epoch) and
 * rank lines (each miner's rank over recent epochs), with HTML legends. Colours come from the page's CSS
 * classes (`s0`..`s7`), so the markup stays small. Empty data draws a labelled "no data" picture. Pure.
 * @module
 */
import { escapeXml, formatTick, noData, px, svgOpen } from "./svg.ts";
import { bandScale, labelStride, linearScale, niceTicks } from "./svg_scale.ts";

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 14, right: 12, bottom: 30, left: 56 };
const PALETTE_SIZE = 8;
/** Approximate width of one label character at the largest axis font size the page sets (18 px). */
const CHAR_PX = 10.8;

/** One bar series; null values draw no bar. */
export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
}

/** One miner's line: its rank per category, null where it was unranked. */
export interface RankLine {
  label: string;
  ranks: readonly (number | null)[];
}

const plot = {
  left: MARGIN.left,
  right: WIDTH - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom,
};

/** The x-axis labels under band centres, thinned so they never overlap. */
function xLabels(categories: readonly string[], center: (i: number) => number, step: number): string {
  const longest = Math.max(...categories.map((c) => c.length));
  const stride = labelStride(step, longest * CHAR_PX + 8);
  return categories.map((c, i) =>
    // Keep the newest label: count the stride back from the last category.
    (categories.length - 1 - i) % stride === 0
      ? `<text class="tick" x="${px(center(i))}" y="${plot.bottom + 20}" text-anchor="middle">${
        escapeXml(c)
      }</text>`
      : ""
  ).join("");
}

/** Horizontal grid lines with labels at `ticks`. */
function yAxis(ticks: readonly number[], y: (v: number) => number, label: (v: number) => string): string {
  return ticks.map((t) =>
    `<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${px(y(t))}" y2="${px(y(t))}"/>` +
    `<text class="tick" x="${plot.left - 6}" y="${px(y(t))}" text-anchor="end" dominant-baseline="middle">${
      escapeXml(label(t))
    }</text>`
  ).join("");
}

/** The legend of a chart as HTML (it wraps on narrow screens, unlike SVG text): one swatch per series. */
export function legendHtml(names: readonly string[]): string {
  return `<ul class="legend">${
    names.map((name, i) => `<li class="s${i % PALETTE_SIZE}"><i></i>${escapeXml(name)}</li>`).join("")
  }</ul>`;
}

/** Grouped bars, one group per category and one bar per series, on a zero-based axis. */
export function barChart(input: {
  title: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  emptyMessage: string;
}): string {
  const { categories, series } = input;
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  if (categories.length === 0 || values.length === 0) {
    return noData(WIDTH, HEIGHT, input.title, input.emptyMessage);
  }
  const ticks = niceTicks(0, Math.max(...values), 4);
  const y = linearScale([0, ticks[ticks.length - 1]], [plot.bottom, plot.top]);
  const bands = bandScale(categories.length, [plot.left, plot.right], 0.25);
  const barWidth = bands.width / series.length;
  const bars = categories.map((category, i) =>
    series.map((s, j) => {
      const v = s.values[i];
      if (v === null || v === undefined) return "";
      const x = bands.center(i) - bands.width / 2 + j * barWidth;
      return `<rect class="bar s${j % PALETTE_SIZE}" x="${px(x)}" y="${px(y(v))}" width="${
        px(Math.max(1, barWidth - 1))
      }" height="${px(plot.bottom - y(v))}"><title>${
        escapeXml(`${category} ${s.name}: ${v.toLocaleString("en-US")}`)
      }</title></rect>`;
    }).join("")
  ).join("");
  return `${svgOpen(WIDTH, HEIGHT, input.title, "chart bar-chart")}${yAxis(ticks, y, formatTick)}${bars}${
    xLabels(categories, bands.center, bands.step)
  }<line class="axis" x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/></svg>`;
}

/** Rank ticks: every rank up to 10, else 1 and round ranks. */
function rankTicks(maxRank: number): number[] {
  if (maxRank <= 10) return Array.from({ length: maxRank }, (_, i) => i + 1);
  return [1, ...niceTicks(0, maxRank, 5, true).filter((t) => t > 1 && t <= maxRank)];
}

/** One line per miner through its ranks (1 on top); an unranked epoch breaks the line. */
export function rankChart(input: {
  title: string;
  categories: readonly string[];
  lines: readonly RankLine[];
  emptyMessage: string;
}): string {
  const { categories, lines } = input;
  const ranks = lines.flatMap((l) => l.ranks).filter((r): r is number => r !== null);
  if (categories.length === 0 || ranks.length === 0) {
    return noData(WIDTH, HEIGHT, input.title, input.emptyMessage);
  }
  const maxRank = Math.max(2, ...ranks);
  const y = linearScale([1, maxRank], [plot.top + 6, plot.bottom - 6]);
  const bands = bandScale(categories.length, [plot.left, plot.right], 0);
  const series = lines.map((line, i) => {
    const segments: string[][] = [[]];
    line.ranks.forEach((r, j) => {
      if (r === null) segments.push([]);
      else segments[segments.length - 1].push(`${px(bands.center(j))},${px(y(r))}`);
    });
    const paths = segments.filter((s) => s.length > 1).map((s) => `<polyline points="${s.join(" ")}"/>`);
    const dots = line.ranks.map((r, j) =>
      r === null
        ? ""
        : `<circle cx="${px(bands.center(j))}" cy="${px(y(r))}" r="3.5"><title>${
          escapeXml(`${line.label}: rank ${r} in ${categories[j]}`)
        }</title></circle>`
    );
    return `<g class="rank-line s${i % PALETTE_SIZE}" data-miner="${escapeXml(line.label)}">${
      paths.join("")
    }${dots.join("")}</g>`;
  }).join("");
  return `${svgOpen(WIDTH, HEIGHT, input.title, "chart rank-chart")}${
    yAxis(rankTicks(maxRank), y, (r) => `#${r}`)
  }${series}${xLabels(categories, bands.center, bands.step)}</svg>`;
}
