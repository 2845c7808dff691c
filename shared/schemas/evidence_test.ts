import { assertEquals } from "../../tests/assert.ts";
import { parseEvidence } from "./evidence.ts";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

Deno.test("parseEvidence() keeps well-formed entries and drops the rest, counting them", () => {
  const good = { miner: HOTKEY, zpid: "123", outcome: "valid" };
  const parsed = parseEvidence([
    null,
    good,
    { ...good, outcome: "maybe" },
    { ...good, zpid: 123 },
    { ...good, miner: "x" },
    "valid",
    [good],
    { ...good, zpid: "456", outcome: "invalid", reason: "price differs" },
  ]);
  assertEquals(parsed.entries.map((e) => e.zpid), ["123", "456"]);
  assertEquals([parsed.dropped, parsed.problem], [6, null]);
});

Deno.test("parseEvidence() drops a file that is not a list whole", () => {
  for (const json of [null, {}, "[]", 1, { entries: [] }]) {
    assertEquals(parseEvidence(json), { entries: [], dropped: 0, problem: "evidence is not a list" });
  }
  assertEquals(parseEvidence([null]), { entries: [], dropped: 1, problem: null });
});
