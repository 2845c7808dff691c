import { assertEquals } from "../../tests/assert.ts";
import { LISTING_COLUMNS } from "../../shared/schemas/listing.ts";
import { FATAL_CHECKS, OPTIONAL_COLUMNS, QUALITY_CHECKS, REQUIRED_COLUMNS } from "./check_rules.ts";

Deno.test("check_rules splits the listing columns into required and optional", () => {
  assertEquals([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].sort(), [...LISTING_COLUMNS].sort());
  assertEquals(REQUIRED_COLUMNS.slice(0, 6), [
    "epoch_id",
    "nonce",
    "miner_hotkey",
    "zipcode",
    "scraped_at",
    "zpid",
  ]);
  assertEquals(OPTIONAL_COLUMNS.length, 20);
  assertEquals(OPTIONAL_COLUMNS.includes("price"), true);
});

Deno.test("check_rules names every check once, fatal ones first", () => {
  const names = [...FATAL_CHECKS, ...QUALITY_CHECKS];
  assertEquals(new Set(names).size, names.length);
  assertEquals(FATAL_CHECKS[0], "deadline");
});
