/** @jsxImportSource hono/jsx */
/**
 * The judged epochs: each one's verdict and each validator's audit history. Pure.
 * @module
 */
import type { DashboardEpochs } from "../../../shared/schemas/dashboard.ts";
import { ShortKey } from "./format.tsx";
import { Verdict } from "./verdict.tsx";

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

export function VerdictsPanel(props: { epochs: DashboardEpochs }) {
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
