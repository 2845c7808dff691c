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

/** Creates the display; `counters` is polled for fetch figures. */
export function createProgress(options: {
  tty: boolean;
  write: (text: string) => void;
  log: Logger;
  counters: () => FetchCounters;
  clock: Clock;
  intervalMs?: number;
}): Progress {
  let epochId = "";
  let deadline = "";
  let zips = { done: 0, total: 0 };
  let listings = 0;
  let failed = 0;
  let uploads = { done: 0, total: 0 };
  let last = { at: options.clock.now().getTime(), requests: options.counters().requests };
  let rate = 0;

  function render(): void {
    const c = options.counters();
    const now = options.clock.now().getTime();
    if (now > last.at) rate = ((c.requests - last.requests) * 1000) / (now - last.at);
    last = { at: now, requests: c.requests };
    if (!epochId) return;
    if (options.tty) {
      const lines = [
        `epoch ${epochId}  deadline ${deadline}`,
        `ZIPs     ${bar(zips.done, zips.total)} ${zips.done}/${zips.total}${
          failed ? `  (${failed} failed)` : ""
        }`,
        `listings ${listings}   requests ${c.requests} (${rate.toFixed(1)}/s)   blocks ${c.blocks}${
          c.buildingsSkipped ? `   building pages skipped ${c.buildingsSkipped}` : ""
        }`,
        `upload   ${bar(uploads.done, uploads.total)} ${uploads.done}/${uploads.total}`,
      ];
      // Move up over the previous frame and redraw it.
      options.write(`\x1b[${lines.length}F\x1b[J${lines.join("\n")}\n`);
    } else {
      options.log.info("progress", {
        epochId,
        zips: zips.done,
        zipsTotal: zips.total,
        zipsFailed: failed,
        listings,
        requests: c.requests,
        requestsPerSecond: Number(rate.toFixed(2)),
        blocks: c.blocks,
        buildingsSkipped: c.buildingsSkipped ?? 0,
        uploaded: uploads.done,
      });
    }
  }

  const timer = setInterval(render, options.intervalMs ?? (options.tty ? 500 : 30_000));
  if (options.tty) options.write("\n\n\n\n");
  return {
    onEvent(event) {
      switch (event.type) {
        case "epoch":
          ({ epochId, deadline } = event);
          zips = { done: 0, total: event.zipcodes };
          listings = 0;
          failed = 0;
          uploads = { done: 0, total: 0 };
          break;
        case "zip":
          zips = { done: event.scraped, total: event.total };
          listings += event.rows;
          uploads.total = event.scraped;
          break;
        case "zip_failed":
          failed++;
          break;
        case "upload":
          uploads = { done: event.uploaded, total: event.total };
          break;
        case "completed":
          render();
          options.log.info("epoch completed", {
            epochId: event.epochId,
            rows: event.rows,
            receiptAt: event.receiptAt,
          });
          break;
      }
    },
    stop() {
      clearInterval(timer);
      render();
    },
  };
}
