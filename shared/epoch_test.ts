import { assertEquals, assertThrows } from "../tests/assert.ts";
import {
  epochAt,
  epochById,
  epochByIndex,
  formatEpochId,
  isEpochId,
  parseEpochId,
  weightsEpochAt,
} from "./epoch.ts";

const FOUR_HOURS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };

Deno.test("epochAt() aligns 4-hour epochs to 00, 04, ... 20 UTC across a whole day", () => {
  const hours = [];
  for (let h = 0; h < 24; h++) {
    hours.push(epochAt(Date.UTC(2026, 0, 1, h, 59, 59), FOUR_HOURS).id.slice(11, 13));
  }
  assertEquals([...new Set(hours)], ["00", "04", "08", "12", "16", "20"]);
});

Deno.test("epochAt() puts the boundary instant in the new epoch", () => {
  const boundary = Date.UTC(2026, 0, 1, 4);
  assertEquals(epochAt(boundary - 1, FOUR_HOURS).id, "2026-01-01T00-00-00");
  assertEquals(epochAt(boundary, FOUR_HOURS).id, "2026-01-01T04-00-00");
});

Deno.test("epochById() rejects ids that are malformed or off the boundary", () => {
  assertThrows(() => epochById("2025-10-01-16:00", FOUR_HOURS), SyntaxError, "expected YYYY-MM-DDTHH-MM-SS");
  assertThrows(() => epochById("2025-02-30T16-00-00", FOUR_HOURS), SyntaxError, "not a valid UTC");
  assertThrows(() => epochById("2025-10-01T25-00-00", FOUR_HOURS), SyntaxError);
  assertThrows(() => epochById("2025-10-01T17-00-00", FOUR_HOURS), RangeError, "14400-second boundary");
  assertEquals(
    epochById("2025-10-01T17-02-00", { epochSeconds: 120, uploadLeadSeconds: 10 }).id,
    "2025-10-01T17-02-00",
  );
});

Deno.test("epochByIndex() rejects lengths that do not divide a day and leads past the end", () => {
  assertThrows(
    () => epochByIndex(1, { epochSeconds: 7000, uploadLeadSeconds: 0 }),
    RangeError,
    "dividing 86400",
  );
  assertThrows(
    () => epochByIndex(1, { epochSeconds: 120, uploadLeadSeconds: 120 }),
    RangeError,
    "upload lead",
  );
});

Deno.test("weightsEpochAt() uses epoch N's scores throughout epoch N+2", () => {
  const n = epochById("2026-01-01T00-00-00", FOUR_HOURS);
  assertEquals(weightsEpochAt(n.weightsFrom - 1, FOUR_HOURS)?.index, n.index - 1);
  assertEquals(weightsEpochAt(n.weightsFrom, FOUR_HOURS)?.id, n.id);
  assertEquals(weightsEpochAt(0, FOUR_HOURS), null);
});

Deno.test("formatEpochId() and parseEpochId() round-trip", () => {
  const ms = Date.UTC(2024, 1, 29, 20);
  assertEquals(formatEpochId(ms), "2024-02-29T20-00-00");
  assertEquals(parseEpochId("2024-02-29T20-00-00"), ms);
  assertEquals(isEpochId("2024-02-29T20-00-00", FOUR_HOURS), true);
  assertEquals(isEpochId("2024-02-29T21-00-00", FOUR_HOURS), false);
  assertEquals(isEpochId("../../etc", FOUR_HOURS), false);
});
