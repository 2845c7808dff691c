/** @jsxImportSource hono/jsx */
/**
 * Charts of the recent epochs: expected vs validated listings, and the best miners' ranks. Pure.
 * @module
 */
import { raw } from "hono/html";
import type { DashboardEpoch } from "../../../shared/schemas/dashboard.ts";
import { barChart, legendHtml, rankChart } from "../svg_chart.ts";
import { shortEpoch, shortKey } from "./format.tsx";

/** Miners drawn in the rank chart: the palette's size. */
const RANK_LINES = 8;

/** The miners with the best ranks over `epochs` (oldest first), one line each. */
function rankLines(epochs: readonly DashboardEpoch[], limit: number) {
  const best = new Map<string, number>();
  for (const e of epochs) {
    for (const m of e.miners) {
      if (m.rank !== null) best.set(m.hotkey, Math.min(best.get(m.hotkey) ?? Infinity, m.rank));
    }
  }
  return [...best].sort(([a, x], [b, y]) => x - y || a.localeCompare(b)).slice(0, limit).map(([hotkey]) => ({
    label: shortKey(hotkey),
    ranks: epochs.map((e) => e.miners.find((m) => m.hotkey === hotkey)?.rank ?? null),
  }));
}

export function ChartsPanel(props: { epochs: readonly DashboardEpoch[] }) {
  const epochs = [...props.epochs].reverse();
  const categories = epochs.map((e) => shortEpoch(e.id));
  const series = [
    { name: "expected", values: epochs.map((e) => e.expectedListings) },
    { name: "validated", values: epochs.map((e) => e.validatedListings) },
  ];
  const lines = rankLines(epochs, RANK_LINES);
  return (
    <section class="panel wide" id="charts">
      <h2>Recent epochs</h2>
      <div class="charts">
        <figure>
          <figcaption>Expected vs validated listings</figcaption>
          {raw(barChart({
            title: "Expected and validated listings per epoch",
            categories,
            series,
            emptyMessage: "No ended epochs yet",
          }))}
          {raw(legendHtml(series.map((s) => s.name)))}
        </figure>
        <figure>
          <figcaption>Miner rank by epoch</figcaption>
          {raw(rankChart({
            title: "Each miner's rank per epoch (1 is best)",
            categories,
            lines,
            emptyMessage: "No ranked miners yet",
          }))}
          {raw(legendHtml(lines.map((l) => l.label)))}
        </figure>
      </div>
    </section>
  );
}
