import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { formatCsv, formatCsvField, parseCsv } from "./csv.ts";

Deno.test("parseCsv() reads quoted commas, doubled quotes and line breaks inside quotes", () => {
  const text = 'a,b,c\n1,"New York-Newark, NY-NJ","say ""hi"""\n2,"two\nlines",\n';
  assertEquals(parseCsv(text), [["a", "b", "c"], ["1", "New York-Newark, NY-NJ", 'say "hi"'], [
    "2",
    "two\nlines",
    "",
  ]]);
});

Deno.test("parseCsv() strips a BOM, accepts CRLF and skips blank lines", () => {
  assertEquals(parseCsv("\uFEFFzip,n\r\n00501,1\r\n\r\n10001,2"), [["zip", "n"], ["00501", "1"], [
    "10001",
    "2",
  ]]);
  assertEquals(parseCsv(""), []);
  assertEquals(parseCsv('""\n'), [[""]]);
});

Deno.test("parseCsv() keeps a quote inside an unquoted field and rejects an open quote", () => {
  assertEquals(parseCsv('a"b,c'), [['a"b', "c"]]);
  assertThrows(() => parseCsv('a,"open'), SyntaxError, "closing quote");
});

Deno.test("formatCsv() quotes only what needs it and round-trips through parseCsv()", () => {
  assertEquals(formatCsvField("Lewis and Clark"), "Lewis and Clark");
  assertEquals(formatCsvField('a,"b"'), '"a,""b"""');
  assertEquals(formatCsvField(null), "");
  const rows = [["x", "y, z", 'q"'], ["1.5", "", "line\nbreak"]];
  assertEquals(parseCsv(formatCsv(rows)), rows);
});
