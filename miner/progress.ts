/**
 * What a person watching the miner sees: on a terminal, a few live progress bars (ZIPs, listings,
 * requests per second, blocks, uploads) redrawn in place on stderr; otherwise one structured log line
 * every `intervalMs`, so log collectors get the same facts.
 * @module
 */
import type { Logger } from "../shared/log.ts";
import type { MinerEvent } from "./epoch_runner.ts";
import type { Clock } from "../shared/ports.ts";

/** Fetch statistics the display reads (from the fetch stack). */
export interface FetchCounters {
  requests: number;
  blocks: number;
  /** Building or community pages the crawler skipped because they failed (their units are missing). */
  buildingsSkipped?: number;
}

/** The display. */
export interface Progress {
  onEvent(event: MinerEvent): void;
  stop(): void;
}

const BAR_WIDTH = 24;

function bar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

/** What the display shows of the running epoch. */
interface View {
  epochId: string;
  deadline: string;
  zips: { done: number; total: number };
  listings: number;
  failed: number;
  uploads: { done: number; total: number };
}

/** Creates the display; `counters` is polled for fetch figures. */
export function createProgress(options: {
  tty: boolean;
  write: (text: string) => void;
  log: Logger;
  counters: () => FetchCounters;
  clock: Clock;
  intervalMs?: number;
}): Progress {
  const view: View = {
    epochId: "",
    deadline: "",
    zips: { done: 0, total: 0 },
    listings: 0,
    failed: 0,
    uploads: { done: 0, total: 0 },
  };
  let last = { at: options.clock.now().getTime(), requests: options.counters().requests };
  let rate = 0;

  function render(): void {
    const c = options.counters();
    const now = options.clock.now().getTime();
    if (now > last.at) rate = ((c.requests - last.requests) * 1000) / (now - last.at);
    last = { at: now, requests: c.requests };
    if (!view.epochId) return;
    if (options.tty) {
      const lines = frame(view, c, rate);
      // Move up over the previous frame and redraw it.
      options.write(`\x1b[${lines.length}F\x1b[J${lines.join("\n")}\n`);
    } else {
      options.log.info("progress", {
        epochId: view.epochId,
        zips: view.zips.done,
        zipsTotal: view.zips.total,
        zipsFailed: view.failed,
        listings: view.listings,
        requests: c.requests,
        requestsPerSecond: Number(rate.toFixed(2)),
        blocks: c.blocks,
        buildingsSkipped: c.buildingsSkipped ?? 0,
        uploaded: view.uploads.done,
      });
    }
  }

  const timer = setInterval(render, options.intervalMs ?? (options.tty ? 500 : 30_000));
  if (options.tty) options.write("\n\n\n\n");
  return {
    onEvent(event) {
      if (event.type !== "completed") return apply(view, event);
      render();
      options.log.info("epoch completed", {
        epochId: event.epochId,
        rows: event.rows,
        receiptAt: event.receiptAt,
      });
    },
    stop() {
      clearInterval(timer);
      render();
    },
  };
}

/** The terminal frame: four lines. */
function frame(view: View, c: FetchCounters, rate: number): string[] {
  const { zips, uploads } = view;
  return [
    `epoch ${view.epochId}  deadline ${view.deadline}`,
    `ZIPs     ${bar(zips.done, zips.total)} ${zips.done}/${zips.total}${
      view.failed ? `  (${view.failed} failed)` : ""
    }`,
    `listings ${view.listings}   requests ${c.requests} (${rate.toFixed(1)}/s)   blocks ${c.blocks}${
      c.buildingsSkipped ? `   building pages skipped ${c.buildingsSkipped}` : ""
    }`,
    `upload   ${bar(uploads.done, uploads.total)} ${uploads.done}/${uploads.total}`,
  ];
}

/** Applies a progress event to the view. */
function apply(view: View, event: Exclude<MinerEvent, { type: "completed" }>): void {
  switch (event.type) {
    case "epoch":
      view.epochId = event.epochId;
      view.deadline = event.deadline;
      view.zips = { done: 0, total: event.zipcodes };
      view.listings = 0;
      view.failed = 0;
      view.uploads = { done: 0, total: 0 };
      break;
    case "zip":
      view.zips = { done: event.scraped, total: event.total };
      view.listings += event.rows;
      view.uploads.total = event.scraped;
      break;
    case "zip_failed":
      view.failed++;
      break;
    case "upload":
      view.uploads = { done: event.uploaded, total: event.total };
      break;
  }
}
