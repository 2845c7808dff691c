/** @jsxImportSource hono/jsx */
/**
 * One ended epoch's verdict, folded open for the newest judged one: its winners, every miner's score (with
 * the reason of a zero), and each validator that published, with its audit outcome. Pure.
 * @module
 */
import type { DashboardEpoch } from "../../../shared/schemas/dashboard.ts";
import { number, percent, ShortKey, when } from "./format.tsx";

/** One epoch's verdict, folded away unless `open`. */
export function Verdict(props: { epoch: DashboardEpoch; open: boolean }) {
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
          <Winners epoch={e} />
          <h3>Every miner</h3>
          <MinerTable epoch={e} />
          <h3>Validators</h3>
          <ValidatorList epoch={e} />
        </div>
      )}
    </details>
  );
}

/** The miners that earned a share, and the burn. */
function Winners(props: { epoch: DashboardEpoch }) {
  const e = props.epoch;
  if (e.winners.length === 0) return <p class="empty">No miner earned a share.</p>;
  return (
    <ol class="winners">
      {e.winners.map((w) => (
        <li>
          <span class="rank">#{w.rank}</span> <ShortKey address={w.hotkey} />{" "}
          <strong>{percent(w.share)}</strong>
        </li>
      ))}
      {e.burnShare !== null ? <li class="burn">burned to the owner: {percent(e.burnShare)}</li> : ""}
    </ol>
  );
}

/** Every miner's line, with the reason under a zero score. */
function MinerTable(props: { epoch: DashboardEpoch }) {
  return (
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
          {props.epoch.miners.map((m) => (
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
  );
}

/** The validators that published, with their audit outcome. */
function ValidatorList(props: { epoch: DashboardEpoch }) {
  const e = props.epoch;
  return (
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
  );
}

/** Whether a validator's report re-derives (`deno task verify` does the same, miners' files included). */
export function AuditMark(props: { audit: DashboardEpoch["validators"][number]["audit"] }) {
  const a = props.audit;
  if (a.rederives === null) return <span class="audit none">audit: no facts published</span>;
  if (a.rederives) return <span class="audit ok">audit: re-derives</span>;
  return (
    <span class="audit bad">
      audit: does not re-derive ({a.disagreements} disagreement{a.disagreements === 1 ? "" : "s"}; {a.first})
    </span>
  );
}
