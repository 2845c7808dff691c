import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { crossMinerUnique, type MinerZpids } from "./cross_miner_unique.ts";

const miners: MinerZpids[] = [
  { hotkey: "5C", zpids: ["3", "4", "9"], zeroReason: null },
  { hotkey: "5A", zpids: ["1", "2", "3", "10"], zeroReason: null },
  { hotkey: "5B", zpids: ["2", "5", "5"], zeroReason: null },
];

Deno.test("crossMinerUnique() lists the zpids only one miner reported", () => {
  const unique = crossMinerUnique(miners);
  assertEquals([...unique.keys()], ["5A", "5B", "5C"]);
  assertEquals(unique.get("5A"), ["1", "10"]);
  assertEquals(unique.get("5B"), ["5"]);
  assertEquals(unique.get("5C"), ["4", "9"]);
});

Deno.test("crossMinerUnique() does not depend on input order", () => {
  const forward = crossMinerUnique(miners);
  const backward = crossMinerUnique(
    [...miners].reverse().map((m) => ({ ...m, zpids: [...m.zpids].reverse() })),
  );
  assertEquals([...backward], [...forward]);
});

Deno.test("crossMinerUnique() ignores zeroed miners entirely", () => {
  // A zeroed copycat of 5A must not make 5A's zpids look shared.
  const unique = crossMinerUnique([...miners, {
    hotkey: "5Z",
    zpids: ["1", "10", "4"],
    zeroReason: "stamp: x",
  }]);
  assertEquals(unique.has("5Z"), false);
  assertEquals(unique.get("5A"), ["1", "10"]);
  assertEquals(unique.get("5C"), ["4", "9"]);
});

Deno.test("crossMinerUnique() refuses a hotkey twice", () => {
  assertThrows(() => crossMinerUnique([...miners, miners[0]]), RangeError, "appears twice");
});
