/** @jsxImportSource hono/jsx */
/**
 * The counters of the running epoch's miners by their latest status. Pure.
 * @module
 */
import type { DashboardCurrent } from "../../../shared/schemas/dashboard.ts";

export function MinersPanel(props: { current: DashboardCurrent }) {
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
