// `.env.example` must list every knob of shared/config.ts with its default, and nothing else.
import { assertEquals } from "./assert.ts";
import { KNOBS } from "../shared/config.ts";

const text = await Deno.readTextFile(new URL("../.env.example", import.meta.url));
const listed = new Map(
  text.split("\n").filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((
    l,
  ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

Deno.test(".env.example lists every knob and no unknown one", () => {
  assertEquals([...listed.keys()].sort(), Object.keys(KNOBS).sort());
});

Deno.test(".env.example shows each knob's default and leaves secrets empty", () => {
  for (const [name, knob] of Object.entries(KNOBS)) {
    const expected = "secret" in knob && knob.secret ? "" : knob.default ?? "";
    assertEquals(listed.get(name), expected, `${name} in .env.example`);
  }
});
