import { assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  PageParseError,
  parseJson,
  pick,
  readNextData,
  readScriptJson,
  scriptText,
  toNumber,
  toText,
} from "./page_json.ts";

Deno.test("scriptText() finds the script by id in any attribute order and quoting", () => {
  for (
    const tag of [
      '<script id="__NEXT_DATA__" type="application/json">',
      '<script type="application/json" id="__NEXT_DATA__">',
      "<script type='application/json' id='__NEXT_DATA__' nonce=\"x\">",
      "<SCRIPT id=__NEXT_DATA__>",
    ]
  ) {
    assertEquals(
      scriptText(`<p>x</p>${tag}{"a":1}</script><script>z</script>`, "__NEXT_DATA__"),
      '{"a":1}',
      tag,
    );
  }
});

Deno.test("scriptText() ignores look-alike ids and mentions in other scripts", () => {
  const html = `<script data-id="__NEXT_DATA__">no</script><script id="__NEXT_DATA__x">no</script>` +
    `<script>self.__NEXT_DATA__={}</script>`;
  assertEquals(scriptText(html, "__NEXT_DATA__"), null);
  assertEquals(scriptText(`${html}<script id="__NEXT_DATA__">yes</script >`, "__NEXT_DATA__"), "yes");
});

Deno.test("scriptText() keeps escaped markup as written (no HTML unescaping)", () => {
  const json = '{"d":"a \\u003c/script\\u003e \\u0026amp; b"}';
  const text = scriptText(`<script id="__NEXT_DATA__">${json}</script>`, "__NEXT_DATA__")!;
  assertEquals(JSON.parse(text).d, "a </script> &amp; b");
});

Deno.test("readNextData() and readScriptJson() fail with clear errors on garbage", () => {
  assertThrows(
    () => readNextData("<html></html>", "search page"),
    PageParseError,
    "expected a __NEXT_DATA__ script",
  );
  assertThrows(
    () => readNextData('<script id="__NEXT_DATA__">{"props":</script>', "search page"),
    PageParseError,
    "Cannot parse search page: expected JSON",
  );
  assertThrows(
    () => readScriptJson('<script id="x">[1]</script>', "x", "thing"),
    PageParseError,
    "expected a JSON object",
  );
  assertEquals(readScriptJson("<p></p>", "x", "thing"), null);
  assertThrows(() => parseJson("nope", "body"), PageParseError, "Cannot parse body: expected JSON");
});

Deno.test("pick(), toNumber() and toText() read untrusted JSON without trusting its types", () => {
  const value = { a: { b: [{ c: 3 }] } };
  assertEquals(pick(value, "a.b.0.c"), 3);
  assertEquals(pick(value, "a.x.y"), undefined);
  assertEquals(pick(null, "a"), undefined);
  assertEquals([
    toNumber(2.5),
    toNumber("3"),
    toNumber(" 4.5 "),
    toNumber("3 beds"),
    toNumber(NaN),
    toNumber(null),
  ], [
    2.5,
    3,
    4.5,
    null,
    null,
    null,
  ]);
  assertEquals([toText("  a "), toText(""), toText(3)], ["a", null, null]);
});
