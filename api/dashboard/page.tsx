/** @jsxImportSource hono/jsx */
/**
 * The network dashboard page (`GET /`), server-rendered from the two dashboard JSON bodies: the current
 * epoch with its countdown, miner progress, the assigned ZIP codes on a map and in a table, charts of
 * recent epochs, and each ended epoch's verdict. Self-contained (inline CSS, SVG and script; the machines
 * are offline), and refreshed in place by `client.ts`. Pure.
 * @module
 */
import { raw } from "hono/html";
import type { DashboardCurrent, DashboardEpochs } from "../../shared/schemas/dashboard.ts";
import { type ClientOptions, dashboardClient, formatDuration } from "./client.ts";
import { STYLE } from "./page_style.ts";
import { ChartsPanel } from "./panels/charts_panel.tsx";
import { EpochPanel } from "./panels/epoch_panel.tsx";
import { MapPanel } from "./panels/map_panel.tsx";
import { MinersPanel } from "./panels/miners_panel.tsx";
import { VerdictsPanel } from "./panels/verdicts_panel.tsx";
import { ZipTable } from "./panels/zip_table.tsx";

/** Everything the page shows. */
export interface PageInput {
  current: DashboardCurrent;
  epochs: DashboardEpochs;
  client: ClientOptions;
}

/** The whole page as HTML. */
export function renderDashboardPage(input: PageInput): string {
  const { current, epochs } = input;
  // `<` cannot close the script from inside JSON, and the function's source is our own code.
  const script = `(${dashboardClient.toString()})(window, ${
    JSON.stringify(input.client).replace(/</g, "\\u003c")
  }, ${formatDuration.toString()});`;
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>zipmine network</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header>
          <h1>zipmine network</h1>
          <span class={`pill ${current.systemStatus}`} data-live="systemStatus">{current.systemStatus}</span>
          <span data-connection>{`as of ${current.serverTime.slice(11, 19)} UTC`}</span>
        </header>
        <main
          id="dashboard"
          data-epoch={current.epoch.id}
          data-server-now={String(Date.parse(current.serverTime))}
        >
          <EpochPanel current={current} />
          <MinersPanel current={current} />
          <MapPanel current={current} />
          <ZipTable current={current} />
          <ChartsPanel epochs={epochs.epochs} />
          <VerdictsPanel epochs={epochs} />
        </main>
        <footer>
          <span>
            JSON: <a href={input.client.currentPath}>{input.client.currentPath}</a> ·{" "}
            <a href={input.client.epochsPath}>{input.client.epochsPath}</a> · <a href="/docs">API docs</a>
          </span>
        </footer>
        <script>{raw(script)}</script>
      </body>
    </html>
  );
  return `<!doctype html>${page}`;
}
