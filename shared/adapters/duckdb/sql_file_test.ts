import { assertEquals, assertThrows } from "../../../tests/assert.ts";
import { fillSql } from "./sql_file.ts";

Deno.test("fillSql() quotes strings, lists and structs as DuckDB literals", () => {
  assertEquals(
    fillSql("SELECT {{a}}, {{n}}, {{l}}, {{s}}, {{c}}", {
      a: "it's",
      n: 3,
      l: { list: ["x", 1] },
      s: { struct: { hotkey: "h", rank: 1 } },
      c: { columns: { zpid: "VARCHAR" } },
    }),
    "SELECT 'it''s', 3, ['x', 1], {'hotkey': 'h', 'rank': 1}, {'zpid': 'VARCHAR'}",
  );
});

Deno.test("fillSql() refuses missing, unknown and unsafe parameters", () => {
  assertThrows(() => fillSql("{{a}}", {}), RangeError, "no value");
  assertThrows(() => fillSql("x", { a: 1 }), RangeError, "unknown parameters");
  assertThrows(() => fillSql("{{s}}", { s: { struct: { "a'b": 1 } } }), RangeError, "field name");
  assertThrows(() => fillSql("{{n}}", { n: NaN }), RangeError, "not finite");
});
