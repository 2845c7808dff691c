import { assertEquals } from "../tests/assert.ts";
import { epochById } from "./epoch.ts";
import {
  apiDownAt,
  apiDownWithin,
  mergeReceipts,
  outageReceipts,
  type StoredManifest,
} from "./outage_receipts.ts";
import type { SubmissionReceipt } from "./schemas/zipcode_assignments.ts";

const N = epochById("2025-10-01T16-00-00", { epochSeconds: 14_400, uploadLeadSeconds: 900 });
const MIN = 60_000;
const GRACE = 90_000;
const OPTIONS = { graceMs: GRACE, maxParts: 2 };
const at = (minutes: number) => N.start + minutes * MIN;
// Heartbeats every minute, except while the API was down from 30 to 200 minutes into the epoch.
const BEATS = Array.from({ length: 240 }, (_, i) => at(i - 5)).filter((h) => h <= at(30) || h >= at(200));

function manifest(hotkey: string, part: string, minutes: number): StoredManifest {
  return {
    hotkey,
    key: `data/hotkey=${hotkey}/epoch=${N.id}/parts/${part}.json`,
    lastModifiedMs: at(minutes),
    sha256: "a".repeat(64),
  };
}

Deno.test("apiDownAt(): down only with no heartbeat within the grace on either side", () => {
  assertEquals(apiDownAt(BEATS, at(31), GRACE), false, "a minute after the last heartbeat");
  assertEquals(apiDownAt(BEATS, at(32), GRACE), true);
  assertEquals(apiDownAt(BEATS, at(199), GRACE), false, "a minute before the API came back");
  assertEquals(apiDownAt(BEATS, at(20.5), GRACE), false, "between two regular heartbeats");
});

Deno.test("apiDownWithin(): whether a window holds a down moment, as apiDownAt decides it", () => {
  assertEquals(apiDownWithin(BEATS, N.start, N.submissionDeadline, GRACE), true);
  assertEquals(apiDownWithin(BEATS, at(0), at(31), GRACE), false);
  assertEquals(apiDownWithin(BEATS, at(0), at(32), GRACE), true);
  assertEquals(apiDownWithin(BEATS, at(200), at(230), GRACE), false);
  assertEquals(apiDownWithin([], at(0), at(1), GRACE), true, "no heartbeat at all");
  assertEquals(apiDownWithin(BEATS, at(10), at(10), GRACE), false, "an empty window");
  for (const t of [0, 31, 31.6, 32, 100, 198.4, 199]) {
    assertEquals(
      apiDownWithin(BEATS, at(t), at(t) + 1, GRACE),
      apiDownAt(BEATS, at(t), GRACE),
      `minute ${t}`,
    );
  }
});

Deno.test("outageReceipts(): a part written while the API was down is credited at S3's write time", () => {
  const got = outageReceipts(N, [manifest("5A", "p0", 100)], BEATS, OPTIONS);
  assertEquals(got, [{
    hotkey: "5A",
    epochId: N.id,
    manifestKey: `data/hotkey=5A/epoch=${N.id}/parts/p0.json`,
    manifestSha256: "a".repeat(64),
    receivedAt: new Date(at(100)).toISOString(),
    basis: "s3-outage",
  }]);
});

Deno.test("outageReceipts(): skipping the API receipt while the API is up earns nothing", () => {
  // The cheater uploads at minute 10 and 210 (API up) and never asks for a receipt.
  assertEquals(outageReceipts(N, [manifest("5C", "p0", 10), manifest("5C", "p1", 210)], BEATS, OPTIONS), []);
});

Deno.test("outageReceipts(): nothing before the epoch starts or from its deadline on", () => {
  const down = Array.from({ length: 10 }, (_, i) => N.start - 600 * MIN + i * MIN); // API down all epoch
  const early = { ...manifest("5E", "p0", 0), lastModifiedMs: N.start - 1 };
  const late = { ...manifest("5E", "p1", 0), lastModifiedMs: N.submissionDeadline };
  assertEquals(outageReceipts(N, [early, late], down, OPTIONS), []);
  const last = { ...manifest("5E", "p2", 0), lastModifiedMs: N.submissionDeadline - 1 };
  assertEquals(outageReceipts(N, [last], down, OPTIONS).length, 1);
});

Deno.test("outageReceipts(): at most maxParts per hotkey, the earliest", () => {
  const got = outageReceipts(
    N,
    [manifest("5A", "p2", 120), manifest("5A", "p0", 60), manifest("5A", "p1", 90)],
    BEATS,
    OPTIONS,
  );
  assertEquals(got.map((r) => r.manifestKey?.split("/").pop()), ["p0.json", "p1.json"]);
});

Deno.test("outageReceipts(): the same facts give the same receipts in any order (every validator agrees)", () => {
  const parts = [manifest("5A", "p0", 60), manifest("5B", "p0", 60), manifest("5B", "p1", 150)];
  const once = outageReceipts(N, parts, BEATS, OPTIONS);
  assertEquals(outageReceipts(N, [...parts].reverse(), [...BEATS].reverse(), OPTIONS), once);
});

Deno.test("mergeReceipts(): per part the earlier of API and S3 time; bounded per hotkey", () => {
  const api = (part: string, minutes: number, hotkey = "5A"): SubmissionReceipt => ({
    hotkey,
    epochId: N.id,
    manifestKey: `data/hotkey=${hotkey}/epoch=${N.id}/parts/${part}.json`,
    manifestSha256: "b".repeat(64),
    receivedAt: new Date(at(minutes)).toISOString(),
  });
  const outage = outageReceipts(N, [manifest("5A", "p0", 100)], BEATS, OPTIONS);
  // The API came back at 200 and the miner then got its receipt for p0: the S3 time (100) stays.
  const merged = mergeReceipts([api("p0", 201), api("p1", 205), api("p2", 210)], outage, 2);
  assertEquals(merged.map((r) => [r.manifestKey?.split("/").pop(), r.basis ?? "api"]), [
    ["p0.json", "s3-outage"],
    ["p1.json", "api"],
  ]);
  assertEquals(mergeReceipts([api("p0", 20)], outage, 2)[0].basis, undefined, "an earlier API receipt wins");
});
