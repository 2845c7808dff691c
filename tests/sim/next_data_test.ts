import { assertEquals } from "../assert.ts";
import { asFloat, serializeNextData, toJsonText } from "./next_data.ts";
import { parseDocument } from "./page_reader.ts";

Deno.test("toJsonText() prints wrapped whole numbers with a decimal point", () => {
  assertEquals(
    toJsonText({ price: asFloat(350000), baths: asFloat(2.5), beds: 3 }),
    '{"price":350000.0,"baths":2.5,"beds":3}',
  );
});

Deno.test("serializeNextData() keeps a </script> remark inside the element for linkedom", () => {
  const data = { description: "Tricky </script><b>tags</b> & Caf\u00e9\u00ae", n: asFloat(1) };
  const text = serializeNextData(data);
  assertEquals(text.includes("</script>"), false);
  assertEquals(text.includes("\\u00e9"), true);
  const html =
    `<html><body><script id="__NEXT_DATA__" type="application/json">${text}</script><p id="after">x</p></body></html>`;
  const document = parseDocument(html);
  const parsed = JSON.parse(document.querySelector("script#__NEXT_DATA__")!.textContent!);
  assertEquals(parsed, { description: data.description, n: 1 });
  assertEquals(document.querySelector("#after")?.textContent, "x");
});
