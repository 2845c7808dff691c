import { assertEquals } from "../../../tests/assert.ts";
import { retryAfterMs } from "./retry_after.ts";

Deno.test("retryAfterMs() reads delta seconds and HTTP dates", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  assertEquals(retryAfterMs("42", now), 42_000);
  assertEquals(retryAfterMs(" 7 ", now), 7_000);
  assertEquals(retryAfterMs("Sun, 01 Mar 2026 12:00:30 GMT", now), 30_000);
  assertEquals(retryAfterMs("Sun, 01 Mar 2026 11:00:00 GMT", now), 0);
  assertEquals(retryAfterMs("soon", now), null);
  assertEquals(retryAfterMs(undefined, now), null);
});
