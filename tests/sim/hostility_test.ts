import { assert, assertEquals, assertNotEquals } from "../assert.ts";
import { createHostility } from "./hostility.ts";

const HEADERS = new Headers({ "user-agent": "Mozilla/5.0 (X11) Chrome/124.0 Safari/537.36" });

function kinds(seed: string, client: string): string[] {
  const hostility = createHostility(seed, { blockRate: 0.4, vanishRate: 0.3 });
  return Array.from({ length: 50 }, (_, i) => {
    const verdict = hostility.judge(client, "detail", i * 1000, HEADERS);
    return verdict.kind === "pass" && verdict.vanish ? "vanish" : verdict.kind;
  });
}

Deno.test("createHostility() replays the same decisions for the same seed and client", () => {
  assertEquals(kinds("h", "exit-1"), kinds("h", "exit-1"));
  assertNotEquals(kinds("h", "exit-1"), kinds("h", "exit-2"));
  assertNotEquals(kinds("h", "exit-1"), kinds("other", "exit-1"));
  const sequence = kinds("h", "exit-1");
  assert(sequence.includes("blocked") && sequence.includes("vanish") && sequence.includes("pass"));
});

Deno.test("createHostility() lets everything through with default options", () => {
  const hostility = createHostility("h", {});
  for (let i = 0; i < 100; i++) {
    const verdict = hostility.judge("c", "api", i, new Headers());
    assertEquals(verdict, { kind: "pass", latencyMs: 0, vanish: false });
  }
});
