import { assert, assertEquals } from "../assert.ts";
import { createPrng } from "../../shared/prng.ts";
import { MAX_TIMELINE_DAYS, planTimeline, timelineStateAt } from "./lifecycle.ts";
import { DAY_MS } from "./zpid_codec.ts";

Deno.test("planTimeline() gives ordered events that end the listing within MAX_TIMELINE_DAYS", () => {
  for (let i = 0; i < 2000; i++) {
    const events = planTimeline(createPrng(`lifecycle-test|${i}`), 0);
    assertEquals(events[0].kind, "listed");
    for (let j = 1; j < events.length; j++) assert(events[j].timeMs >= events[j - 1].timeMs);
    const last = events[events.length - 1];
    assert(last.kind === "sold" || last.kind === "removed", `timeline ${i} ends with ${last.kind}`);
    assert(last.timeMs <= MAX_TIMELINE_DAYS * DAY_MS);
  }
});

Deno.test("timelineStateAt() folds events up to the moment", () => {
  const events = [
    { timeMs: 0, kind: "listed" as const, factor: 1 },
    { timeMs: 10 * DAY_MS, kind: "priceChange" as const, factor: 0.95 },
    { timeMs: 20 * DAY_MS, kind: "pending" as const, factor: 0.95 },
    { timeMs: 40 * DAY_MS, kind: "sold" as const, factor: 0.97 },
  ];
  assertEquals(timelineStateAt(events, -1), null);
  assertEquals(timelineStateAt(events, 5 * DAY_MS)?.status, "FOR_SALE");
  assertEquals(timelineStateAt(events, 15 * DAY_MS)?.factor, 0.95);
  assertEquals(timelineStateAt(events, 25 * DAY_MS)?.status, "PENDING");
  const sold = timelineStateAt(events, 50 * DAY_MS)!;
  assertEquals(sold.status, "SOLD");
  assertEquals(sold.soldAtMs, 40 * DAY_MS);
  assertEquals(sold.events.length, 4);
});
