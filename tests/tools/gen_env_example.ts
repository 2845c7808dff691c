// Rewrites .env.example from every knob table (tests/tools/knob_tables.ts): `deno task gen:env`.
import { renderEnvExample } from "../../shared/config.ts";
import { OWNER_TABLES } from "./knob_tables.ts";

await Deno.writeTextFile(
  new URL("../../.env.example", import.meta.url),
  renderEnvExample(Object.values(OWNER_TABLES)),
);
console.log("wrote .env.example");
