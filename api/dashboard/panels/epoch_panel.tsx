/** @jsxImportSource hono/jsx */
/**
 * The current epoch: its id, status, timing and target, with a countdown to the submission deadline that
 * `client.ts` keeps ticking. Pure.
 * @module
 */
import type { DashboardCurrent } from "../../../shared/schemas/dashboard.ts";
import { formatDuration } from "../client.ts";
import { number, when } from "./format.tsx";

function Countdown(props: { toMs: number; nowMs: number; expired: string }) {
  const left = props.toMs - props.nowMs;
  const text = left > 0 ? formatDuration(left) : props.expired;
  return (
    <strong class="countdown" data-countdown={String(props.toMs)} data-expired={props.expired}>{text}</strong>
  );
}

export function EpochPanel(props: { current: DashboardCurrent }) {
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
