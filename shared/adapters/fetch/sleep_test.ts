import { assertRejects } from "../../../tests/assert.ts";
import { timerSleep } from "./sleep.ts";

Deno.test("timerSleep() waits and stops early on its signal", async () => {
  await timerSleep(5);
  const controller = new AbortController();
  const sleeping = timerSleep(60_000, controller.signal);
  controller.abort(new Error("stop"));
  await assertRejects(() => sleeping, Error, "stop");
});
