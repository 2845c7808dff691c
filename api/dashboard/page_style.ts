/**
 * The dashboard page's inline CSS (the machines are offline, so the page carries its own style).
 * @module
 */
/** The stylesheet, with one colour class per palette entry of the charts. */
export const STYLE = `
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
