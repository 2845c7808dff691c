// `.env.example` must list every knob of every table with its default, and nothing else; each knob has one
// owner table, and each program parses the core, the shared adapters' tables and its own, nothing of another.
import { assert, assertEquals } from "./assert.ts";
import { CORE_KNOBS, type Knob, renderEnvExample } from "../shared/config.ts";
import { OWNER_TABLES, PROGRAM_TABLES } from "./tools/knob_tables.ts";

const text = await Deno.readTextFile(new URL("../.env.example", import.meta.url));
const listed = new Map(
  text.split("\n").filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((
    l,
  ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const owners = Object.entries(OWNER_TABLES).flatMap(([owner, table]) =>
  Object.entries(table as Record<string, Knob>).map(([name, knob]) => ({ owner, name, knob }))
);

Deno.test(".env.example is the generator's output (deno task gen:env)", () => {
  assertEquals(text, renderEnvExample(Object.values(OWNER_TABLES)));
});

Deno.test(".env.example lists every knob and no unknown one", () => {
  assertEquals([...listed.keys()].sort(), owners.map((o) => o.name).sort());
});

Deno.test(".env.example shows each knob's default and leaves secrets empty", () => {
  for (const { name, knob } of owners) {
    assertEquals(listed.get(name), knob.secret ? "" : knob.default ?? "", `${name} in .env.example`);
    assert(knob.doc.length > 0, `${name} has a meaning`);
  }
});

Deno.test("each knob is declared in exactly one table", () => {
  const twice = owners.filter((o, i) => owners.findIndex((p) => p.name === o.name) !== i);
  assertEquals(twice.map((o) => `${o.name} (${o.owner})`), []);
});

Deno.test("each program parses the core and its own knobs, none of another program's", () => {
  const own: Record<string, string[]> = {
    api: ["api/config.ts"],
    miner: ["miner/config.ts"],
    validator: ["validator/config.ts validator"],
    query: ["validator/config.ts query"],
    market: ["tests/sim/market_config.ts"],
  };
  const offences: string[] = [];
  for (const [program, table] of Object.entries(PROGRAM_TABLES)) {
    const names = Object.keys(table);
    if (program !== "market") {
      for (const name of Object.keys(CORE_KNOBS)) {
        if (!names.includes(name)) offences.push(`${program} lacks ${name}`);
      }
    }
    for (const name of names) {
      const owner = owners.find((o) => o.name === name)!.owner;
      const shared = owner.startsWith("shared/");
      if (!shared && !own[program].includes(owner)) offences.push(`${program} reads ${name} of ${owner}`);
    }
  }
  assertEquals(offences, []);
});
