// Rewrites .env.example from the knob table in shared/config.ts: `deno task gen:env`.
import { renderEnvExample } from "../../shared/config.ts";

await Deno.writeTextFile(new URL("../../.env.example", import.meta.url), renderEnvExample());
console.log("wrote .env.example");
