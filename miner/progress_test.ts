import { assert, assertEquals } from "../tests/assert.ts";
import { createLogger } from "../shared/log.ts";
import { createProgress } from "./progress.ts";

function display(tty: boolean, buildingsSkipped: number) {
  const lines: string[] = [];
  const frames: string[] = [];
  const progress = createProgress({
    tty,
    write: (text) => frames.push(text),
    log: createLogger({ sink: (line) => lines.push(line), clock: { now: () => new Date(0) } }),
    counters: () => ({ requests: 12, blocks: 1, buildingsSkipped }),
    clock: { now: () => new Date(0) },
    intervalMs: 3_600_000,
  });
  progress.onEvent({ type: "epoch", epochId: "e", deadline: "d", zipcodes: 2, source: "api" });
  progress.stop();
  return { lines, frames };
}

Deno.test("createProgress() reports skipped building pages in the log line and on the terminal", () => {
  const { lines } = display(false, 3);
  assertEquals(JSON.parse(lines.at(-1)!).buildingsSkipped, 3);
  assert(display(true, 3).frames.at(-1)!.includes("building pages skipped 3"));
  assertEquals(display(true, 0).frames.at(-1)!.includes("building pages skipped"), false);
});
