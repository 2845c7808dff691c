import { assertEquals } from "../tests/assert.ts";
import { copyReasons } from "./copies.ts";

const keys = (from: number, n: number, at = "2025-10-01T17:00:00.000Z") =>
  Array.from({ length: n }, (_, i) => `${from + i}|${at}`);

Deno.test("copyReasons() ranks only the earliest receipt of a cluster of copies", () => {
  const scrape = keys(1, 100);
  const reasons = copyReasons([
    { hotkey: "5late", rowKeys: scrape, receivedAtMs: 3_000 },
    { hotkey: "5first", rowKeys: scrape, receivedAtMs: 1_000 },
    // A copy padded with 10 extra rows is still a copy (100 shared of its smaller set's 100).
    { hotkey: "5padded", rowKeys: [...scrape, ...keys(500, 10)], receivedAtMs: 2_000 },
    // Same listings, scraped independently (other times): not a copy.
    { hotkey: "5honest", rowKeys: keys(1, 100, "2025-10-01T17:00:01.000Z"), receivedAtMs: 500 },
  ], 50);
  assertEquals([...reasons.keys()].sort(), ["5late", "5padded"]);
  assertEquals(
    reasons.get("5late"),
    "copy: 100 rows identical down to scraped_at with 5first; only the earliest receipt of the cluster (5first) ranks",
  );
});

Deno.test("copyReasons() ignores a few shared rows and joins chains of copies", () => {
  const few = copyReasons([
    { hotkey: "5a", rowKeys: keys(1, 100), receivedAtMs: 1 },
    { hotkey: "5b", rowKeys: [...keys(1, 10), ...keys(1000, 90)], receivedAtMs: 2 },
  ], 50);
  assertEquals(few.size, 0);
  // a ~ b and b ~ c: one cluster, c (no receipt) and b lose to a.
  const chain = copyReasons([
    { hotkey: "5c", rowKeys: [...keys(51, 50), ...keys(200, 50)], receivedAtMs: null },
    { hotkey: "5a", rowKeys: keys(1, 100), receivedAtMs: 5 },
    { hotkey: "5b", rowKeys: keys(1, 100), receivedAtMs: 6 },
  ], 50);
  assertEquals([...chain.keys()].sort(), ["5b", "5c"]);
});
