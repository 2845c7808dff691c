import { assert, assertEquals } from "../../../tests/assert.ts";
import { createPrng } from "../../prng.ts";
import { createSendPacer } from "./send_pacer.ts";

function maxInWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] <= sorted[i] - windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

Deno.test("createSendPacer() spreads starts evenly over the minute", () => {
  const pacer = createSendPacer({ requestsPerMinute: 30, jitterMs: 0 });
  const starts = Array.from({ length: 5 }, () => pacer.reserve(0, () => 0));
  assertEquals(starts, [0, 2034, 4067, 6100, 8134], "61 s / 30 apart, in whole ms");
});

Deno.test("createSendPacer() adds jitter without losing budget", () => {
  const pacer = createSendPacer({ requestsPerMinute: 60, jitterMs: 900 });
  const draws = [0.99, 0, 0.5, 0.99, 0.1];
  let i = 0;
  const starts = Array.from({ length: 300 }, () => pacer.reserve(0, () => draws[i++ % draws.length]));
  assertEquals(starts.slice(0, 5), [891, 1017, 2484, 3941, 4157], "never earlier than the previous start");
  assert(starts[299] <= (299 * 61_000) / 60 + 900, `the grid keeps its pace, last start at ${starts[299]}`);
});

Deno.test("createSendPacer() never exceeds the per-minute budget in any window", () => {
  for (const [rpm, jitter] of [[120, 3_000], [20, 500], [7, 20_000], [1, 0]]) {
    const pacer = createSendPacer({ requestsPerMinute: rpm, jitterMs: jitter });
    const prng = createPrng(`pacer|${rpm}|${jitter}`);
    let now = 0;
    const starts: number[] = [];
    for (let n = 0; n < 500; n++) {
      now += prng.nextBelow(3) === 0 ? prng.nextBelow(4_000) : 0;
      starts.push(pacer.reserve(now, () => prng.nextFloat()));
    }
    assertEquals(maxInWindow(starts, 61_000), rpm, `rpm ${rpm}, jitter ${jitter}`);
    assert(starts.every((start, k) => k === 0 || start >= starts[k - 1]));
  }
});

Deno.test("createSendPacer() gives an idle exit no burst credit", () => {
  const pacer = createSendPacer({ requestsPerMinute: 10, jitterMs: 0 });
  assertEquals(pacer.reserve(0, () => 0), 0);
  assertEquals(pacer.reserve(600_000, () => 0), 600_000);
  assertEquals(pacer.reserve(600_000, () => 0), 606_100);
});
