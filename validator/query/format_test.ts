import { DuckDBInstance } from "@duckdb/node-api";
import { assertEquals } from "../../tests/assert.ts";
import { formatResult, MAX_CELL_WIDTH, type OutputFormat } from "./format.ts";

async function render(sql: string, format: OutputFormat): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return formatResult(await connection.runAndReadAll(sql), format);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const SAMPLE = `SELECT * FROM (VALUES
  ('a', 1::BIGINT, 0.5::DECIMAL(7, 6), MAP {'77001': 2}, ['x', 'y'], NULL::VARCHAR),
  ('b,"c"', 12345678901234567890::HUGEINT, 1::DECIMAL(7, 6), MAP {}, [], 'two
lines')
) AS t(name, n, share, per_zip, tags, note)`;

Deno.test("table: aligned columns, numbers to the right, NULL spelled out, control characters escaped", async () => {
  assertEquals(
    await render(SAMPLE, "table"),
    [
      "name   n                     share     per_zip       tags        note",
      "-----  --------------------  --------  ------------  ----------  ----------",
      "a                         1  0.500000  {'77001': 2}  ['x', 'y']  NULL",
      'b,"c"  12345678901234567890  1.000000  {}            []          two\\nlines',
      "(2 rows)",
      "",
    ].join("\n"),
  );
});

Deno.test("table: wide cells are cut to MAX_CELL_WIDTH, and one row says so", async () => {
  const text = await render(`SELECT repeat('x', 80) AS wide`, "table");
  const cell = text.split("\n")[2];
  assertEquals(cell.length, MAX_CELL_WIDTH);
  assertEquals(cell.endsWith("x…"), true);
  assertEquals(text.split("\n").at(-2), "(1 row)");
});

Deno.test("csv: a header, RFC 4180 quoting, NULL as an empty field", async () => {
  assertEquals(
    await render(SAMPLE, "csv"),
    [
      "name,n,share,per_zip,tags,note",
      "a,1,0.500000,{'77001': 2},\"['x', 'y']\",",
      '"b,""c""",12345678901234567890,1.000000,{},[],"two',
      'lines"',
      "",
    ].join("\n"),
  );
});

Deno.test("json: one object per row; exact numbers as numbers, string-keyed maps as objects", async () => {
  const text = await render(SAMPLE, "json");
  assertEquals(JSON.parse(text), [
    { name: "a", n: 1, share: 0.5, per_zip: { "77001": 2 }, tags: ["x", "y"], note: null },
    { name: 'b,"c"', n: "12345678901234567890", share: 1, per_zip: {}, tags: [], note: "two\nlines" },
  ]);
  assertEquals(text.split("\n").length, 5);
});

Deno.test("every format renders an empty result", async () => {
  const sql = "SELECT 1 AS a WHERE false";
  assertEquals(await render(sql, "table"), "a\n-\n(0 rows)\n");
  assertEquals(await render(sql, "csv"), "a\n");
  assertEquals(await render(sql, "json"), "[]\n");
});
