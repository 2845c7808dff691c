import { assertEquals, assertRejects } from "../../../tests/assert.ts";
import { timerSleep } from "./sleep.ts";

/** Resolves after a plain timer of `ms`: the reference clock the sleep is compared against. */
const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

Deno.test("timerSleep() resolves only after its time: a shorter timer started later fires first", async () => {
  const events: string[] = [];
  const sleeping = timerSleep(40).then(() => events.push("sleep"));
  await timer(5);
  events.push("5 ms");
  await sleeping;
  assertEquals(events, ["5 ms", "sleep"]);
});

Deno.test("timerSleep() stops early on its signal and clears its timer", async () => {
  const controller = new AbortController();
  const sleeping = timerSleep(60_000, controller.signal);
  controller.abort(new Error("stop"));
  // The test sanitizer fails the test if the 60 s timer were still pending.
  await assertRejects(() => sleeping, Error, "stop");
});

Deno.test("timerSleep() rejects at once on a signal that already aborted", async () => {
  const controller = new AbortController();
  controller.abort(new Error("already"));
  await assertRejects(() => timerSleep(60_000, controller.signal), Error, "already");
});
