/** @jsxImportSource hono/jsx */
/**
 * The network dashboard page (`GET /`), server-rendered from the two dashboard JSON bodies: the current
 * epoch with its countdown, miner progress, the assigned ZIP codes on a map and in a table, charts of
 * recent epochs, and each ended epoch's verdict. Self-contained (inline CSS, SVG and script; the machines
 * are offline), and refreshed in place by `client.ts`. Pure.
 * @module
 */
import { raw } from "hono/html";
import type { DashboardCurrent, DashboardEpoch, DashboardEpochs } from "../../shared/schemas/dashboard.ts";
import { type ClientOptions, dashboardClient, formatDuration } from "./client.ts";
import { barChart, legendHtml, rankChart } from "./svg_chart.ts";
import { usMap } from "./svg_map.ts";

/** Everything the page shows. */
export interface PageInput {
  current: DashboardCurrent;
  epochs: DashboardEpochs;
  client: ClientOptions;
}

/** Miners drawn in the rank chart: the palette's size. */
const RANK_LINES = 8;

const number = (n: number) => n.toLocaleString("en-US");
const percent = (f: number, digits = 1) => `${(f * 100).toFixed(digits)} %`;
/** `2025-10-01T16:00:00.000Z` → `2025-10-01 16:00 UTC`. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
/** `2025-10-01T16-00-00` → `10-01 16:00`, for chart axes. */
const shortEpoch = (id: string) => `${id.slice(5, 10)} ${id.slice(11, 13)}:${id.slice(14, 16)}`;
/** `5Grwva…utQY`: enough to tell miners apart; the full hotkey is in the title. */
const shortKey = (hotkey: string) => `${hotkey.slice(0, 6)}…${hotkey.slice(-4)}`;

function ShortKey(props: { address: string }) {
  return <code title={props.address}>{shortKey(props.address)}</code>;
}

function Countdown(props: { toMs: number; nowMs: number; expired: string }) {
  const left = props.toMs - props.nowMs;
  const text = left > 0 ? formatDuration(left) : props.expired;
  return (
    <strong class="countdown" data-countdown={String(props.toMs)} data-expired={props.expired}>{text}</strong>
  );
}

function EpochPanel(props: { current: DashboardCurrent }) {
  const { epoch } = props.current;
  const nowMs = Date.parse(props.current.serverTime);
  return (
    <section class="panel" id="epoch">
      <h2>
        Current epoch <span class="status" data-live="epoch.status">{epoch.status}</span>
      </h2>
      <p class="epoch-id">
        <code>{epoch.id}</code>
      </p>
      <p class="deadline">
        Time left to submit:{" "}
        <Countdown toMs={Date.parse(epoch.submissionDeadline)} nowMs={nowMs} expired="closed" />
      </p>
      <dl>
        <dt>Start</dt>
        <dd>{when(epoch.start)}</dd>
        <dt>Deadline</dt>
        <dd>{when(epoch.submissionDeadline)}</dd>
        <dt>End</dt>
        <dd>{when(epoch.end)}</dd>
        <dt>Target</dt>
        <dd>{number(epoch.targetListings)} ± {epoch.tolerancePercent} % listings</dd>
        <dt>Expected</dt>
        <dd>
          {number(epoch.expectedListings)} listings in {epoch.zipcodeCount} ZIP codes
          {epoch.targetMissed ? <em class="warn flag">(outside the target band)</em> : ""}
        </dd>
      </dl>
    </section>
  );
}

function MinersPanel(props: { current: DashboardCurrent }) {
  const rows: [string, keyof DashboardCurrent["miners"]][] = [
    ["In progress", "inProgress"],
    ["Completed", "completed"],
    ["Failed", "failed"],
    ["Timed out", "timedOut"],
    ["Receipts", "receipts"],
  ];
  return (
    <section class="panel" id="miners">
      <h2>Miners this epoch</h2>
      <ul class="counters">
        {rows.map(([label, key]) => (
          <li>
            <strong data-live={`miners.${key}`}>{props.current.miners[key]}</strong>
            <span>{label}</span>
          </li>
        ))}
      </ul>
      <p class="note">
        By each miner's latest status report; receipts are the API's timestamps of first completed uploads.
      </p>
    </section>
  );
}

function MapPanel(props: { current: DashboardCurrent }) {
  const { svg, unplaced } = usMap({
    title: `Assigned ZIP codes of epoch ${props.current.epoch.id}`,
    points: props.current.zipcodes.map((z) => ({
      zipcode: z.zipcode,
      label: `${z.zipcode} ${z.city}, ${z.state}: ${number(z.expectedListings)} expected`,
      latitude: z.latitude,
      longitude: z.longitude,
    })),
    emptyMessage: "No ZIP codes assigned",
  });
  return (
    <section class="panel" id="map">
      <h2>Where miners work</h2>
      {raw(svg)}
      {unplaced > 0 ? <p class="note">{unplaced} ZIP codes have no position on this map.</p> : ""}
    </section>
  );
}

function ZipTable(props: { current: DashboardCurrent }) {
  const zips = props.current.zipcodes;
  return (
    <section class="panel" id="zipcodes">
      <h2>Assigned ZIP codes ({zips.length})</h2>
      {zips.length === 0 ? <p class="empty">No ZIP codes assigned.</p> : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>ZIP</th>
                <th>Place</th>
                <th class="wide-only">County</th>
                <th class="wide-only">Tier</th>
                <th class="num">Expected</th>
              </tr>
            </thead>
            <tbody>
              {zips.map((z) => (
                <tr data-zip={z.zipcode}>
                  <td>
                    <code>{z.zipcode}</code>
                  </td>
                  <td>{z.city}, {z.state}</td>
                  <td class="wide-only">{z.county ?? "—"}</td>
                  <td class="wide-only">{z.marketTier.toLowerCase()}</td>
                  <td class="num">{number(z.expectedListings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

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

function ChartsPanel(props: { epochs: readonly DashboardEpoch[] }) {
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

function Verdict(props: { epoch: DashboardEpoch; open: boolean }) {
  const e = props.epoch;
  const summary = !e.judged
    ? "awaiting validator reports"
    : `${e.validators.length} validator${e.validators.length === 1 ? "" : "s"}` +
      (e.agreement === null ? "" : ` · agreement ${percent(e.agreement, 2)}`) +
      ` · ${number(e.validatedListings ?? 0)} of ${number(e.expectedListings)} listings validated`;
  return (
    <details class="verdict" data-epoch={e.id} open={props.open}>
      <summary>
        <code>{e.id}</code> <span>{summary}</span>
      </summary>
      {!e.judged ? <p class="empty">No validator has published its report for this epoch yet.</p> : (
        <div>
          <h3>Winners</h3>
          {e.winners.length === 0 ? <p class="empty">No miner earned a share.</p> : (
            <ol class="winners">
              {e.winners.map((w) => (
                <li>
                  <span class="rank">#{w.rank}</span> <ShortKey address={w.hotkey} />{" "}
                  <strong>{percent(w.share)}</strong>
                </li>
              ))}
              {e.burnShare !== null ? <li class="burn">burned to the owner: {percent(e.burnShare)}</li> : ""}
            </ol>
          )}
          <h3>Every miner</h3>
          <div class="scroll">
            <table class="miners">
              <thead>
                <tr>
                  <th>Rank</th>
                  <th>Miner</th>
                  <th class="num wide-only">UID</th>
                  <th class="num">Score</th>
                  <th class="num">Share</th>
                  <th class="num wide-only">Listings</th>
                </tr>
              </thead>
              <tbody>
                {e.miners.map((m) => (
                  <>
                    <tr data-miner={m.hotkey} class={m.score === 0 ? "zero" : ""}>
                      <td>{m.rank === null ? "—" : `#${m.rank}`}</td>
                      <td>
                        <ShortKey address={m.hotkey} />
                      </td>
                      <td class="num wide-only">{m.uid ?? "—"}</td>
                      <td class="num">{m.score.toFixed(4)}</td>
                      <td class="num">{percent(m.share)}</td>
                      <td class="num wide-only">{number(m.uniqueListings)}</td>
                    </tr>
                    {m.score === 0
                      ? (
                        <tr class="reason" data-miner={m.hotkey}>
                          <td colspan={6}>Scored 0: {m.reason ?? "no reason given"}</td>
                        </tr>
                      )
                      : ""}
                  </>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Validators</h3>
          <ul class="validators">
            {e.validators.map((v) => (
              <li>
                <ShortKey address={v.hotkey} />
                {[
                  v.hotkey === e.referenceValidator ? " (reference)" : "",
                  ` published ${when(v.publishedAt)} · ${number(v.validatedListings)} validated`,
                  v.stake === null ? "" : ` · stake ${number(v.stake)}`,
                ].join("")}
                {" · "}
                <AuditMark audit={v.audit} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

/** Whether a validator's report re-derives (`deno task verify` does the same, miners' files included). */
function AuditMark(props: { audit: DashboardEpoch["validators"][number]["audit"] }) {
  const a = props.audit;
  if (a.rederives === null) return <span class="audit none">audit: no facts published</span>;
  if (a.rederives) return <span class="audit ok">audit: re-derives</span>;
  return (
    <span class="audit bad">
      audit: does not re-derive ({a.disagreements} disagreement{a.disagreements === 1 ? "" : "s"}; {a.first})
    </span>
  );
}

/** Each validator's audit outcome over the judged epochs shown. */
function AuditHistory(props: { history: DashboardEpochs["auditHistory"] }) {
  if (props.history.length === 0) return "";
  return (
    <div>
      <h3>Audit history</h3>
      <table class="audit-history">
        <tbody>
          {props.history.map((h) => {
            const ok = h.epochs.filter((e) => e.rederives === true).length;
            const audited = h.epochs.filter((e) => e.rederives !== null).length;
            return (
              <tr data-validator={h.hotkey}>
                <td>
                  <ShortKey address={h.hotkey} />
                </td>
                <td class="num">{audited === 0 ? "—" : `${ok} of ${audited} re-derive`}</td>
                <td>
                  {h.epochs.map((e) => (
                    <span
                      class={`audit ${e.rederives === null ? "none" : e.rederives ? "ok" : "bad"}`}
                      title={e.id}
                    >
                      {e.rederives === null ? "·" : e.rederives ? "✓" : "✗"}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function VerdictsPanel(props: { epochs: DashboardEpochs }) {
  const { epochs } = props.epochs;
  const newestJudged = epochs.find((e) => e.judged)?.id;
  return (
    <section class="panel wide" id="verdicts">
      <h2>Judged epochs</h2>
      {props.epochs.reportsAvailable
        ? ""
        : <p class="warn">The validators' reports cannot be read right now; showing the epochs only.</p>}
      {epochs.length === 0
        ? <p class="empty">No epoch has ended yet.</p>
        : epochs.map((e) => <Verdict key={e.id} epoch={e} open={e.id === newestJudged} />)}
      <AuditHistory history={props.epochs.auditHistory} />
    </section>
  );
}

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6475;--bg:#f4f6f9;--card:#fff;--line:#dfe3ea;--accent:#2457c5;--warn:#b4441c;
--s0:#2457c5;--s1:#e08a1e;--s2:#2a9d6f;--s3:#c2416b;--s4:#7a5bd1;--s5:#3aa6c9;--s6:#8d6e3f;--s7:#6b7280}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
background:var(--bg)}header,footer{padding:.8rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}
header h1{font-size:1.25rem;margin:0}header .pill{padding:.1rem .6rem;border-radius:1rem;background:#e3f3ea;color:#1f6b46}
header .pill.paused{background:#fde8e1;color:var(--warn)}header [data-connection]{color:var(--muted);font-size:.85rem}
main{display:grid;gap:1rem;padding:0 1rem 1rem;grid-template-columns:minmax(0,1fr)}
@media(min-width:900px){main{grid-template-columns:repeat(2,minmax(0,1fr))}.wide{grid-column:1/-1}}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;min-width:0}
h2{font-size:1.05rem;margin:0 0 .6rem}h3{font-size:.95rem;margin:1rem 0 .4rem}
.status{font-size:.8rem;font-weight:600;padding:.1rem .5rem;border-radius:1rem;background:#e8eefc;color:var(--accent);
vertical-align:middle}.epoch-id code{font-size:1.1rem}.countdown{font-size:1.6rem;font-variant-numeric:tabular-nums;white-space:nowrap}
.deadline{margin:.3rem 0 .8rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0}
dt{color:var(--muted)}dd{margin:0}.warn{color:var(--warn)}.flag{margin-left:.3em}.note,.empty{color:var(--muted);font-size:.9rem}
.counters{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr));
gap:.6rem}.counters li{background:var(--bg);border-radius:8px;padding:.6rem;display:flex;flex-direction:column}
.counters strong{font-size:1.5rem;font-variant-numeric:tabular-nums}.counters span{color:var(--muted);font-size:.85rem}
svg{display:block;width:100%;height:auto}.us-map .land{fill:#e4e8ef;stroke:#aab3c2;stroke-width:.8}
.us-map .borders{fill:none;stroke:#fff;stroke-width:1}.zip-dot{fill:var(--accent);fill-opacity:.8;stroke:#fff;
stroke-width:1.2}.no-data-text{fill:var(--muted);font-size:15px}.chart .frame{fill:var(--bg);stroke:var(--line)}
.chart .grid{stroke:var(--line)}.chart .axis{stroke:var(--muted)}.chart .tick{fill:var(--muted);font-size:13px}
@media(max-width:600px){.chart .tick{font-size:18px}.wide-only{display:none}}
.rank-line polyline{fill:none;stroke-width:2}${
  [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
    `.s${i}{--c:var(--s${i})}.bar.s${i},.rank-line.s${i} circle{fill:var(--s${i})}.rank-line.s${i} polyline{stroke:var(--s${i})}`
  ).join("")
}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem .9rem;padding:0;margin:.4rem 0 0;font-size:.85rem}
.legend i{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;background:var(--c);margin-right:.3rem}
.charts{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr))}
figure{margin:0;min-width:0}figcaption{font-weight:600;margin-bottom:.3rem}
.scroll{overflow-x:auto;max-width:100%}#zipcodes .scroll{max-height:26rem;overflow-y:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);
text-align:left;white-space:nowrap}th{position:sticky;top:0;background:var(--card);color:var(--muted);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}tr.reason td{white-space:normal;overflow-wrap:anywhere;color:var(--warn);padding-top:0}
tr.zero td{border-bottom:0}tr.zero td:first-child{color:var(--muted)}code{font:.9em ui-monospace,SFMono-Regular,Menlo,monospace}
.verdict{border-top:1px solid var(--line);padding:.6rem 0}.verdict summary{cursor:pointer;display:flex;flex-wrap:wrap;
gap:.2rem .8rem}.verdict summary span{color:var(--muted)}.winners{padding-left:0;list-style:none;margin:0}
.audit.ok{color:#1a7f37}.audit.bad{color:#cf222e;font-weight:600}.audit.none{color:var(--muted)}.winners li{padding:.15rem 0}.rank{color:var(--muted);display:inline-block;min-width:2rem}.validators{padding-left:1.1rem;
margin:0;font-size:.9rem}footer{color:var(--muted);font-size:.85rem}a{color:var(--accent)}
`;

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
