// openChain() says which chain it connects to: a validator started without CHAIN_ENDPOINT must not
// silently land on the development chain.
import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { CHAIN_KNOBS } from "./config.ts";
import { createLogger } from "../../log.ts";
import { createRegistry } from "../../metrics.ts";
import { openChain } from "./open_chain.ts";

const NOW = new Date("2026-03-01T00:00:00Z");

function deps(lines: string[], stateDir: string) {
  return {
    clock: { now: () => NOW },
    log: createLogger({
      sink: (line: string) => lines.push(line),
      clock: { now: () => NOW },
      level: "debug",
    }),
    metrics: createRegistry(),
    stateDir,
  };
}

Deno.test("CHAIN_ENDPOINT defaults to finney, not the development chain", () => {
  assertEquals(CHAIN_KNOBS.CHAIN_ENDPOINT.default, "finney");
});

Deno.test("openChain() logs that local:<path> is the development chain", async () => {
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  try {
    const chain = await openChain(`local:${dir}/chain.kv`, deps(lines, dir));
    chain.close?.();
    const line = lines.find((l) => l.includes("development chain"));
    assert(line, lines.join("\n"));
    assert(line.includes(`local:${dir}/chain.kv`), line);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openChain() logs the subtensor endpoint and URL before connecting", async () => {
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  try {
    await assertRejects(() => openChain("ws://127.0.0.1:9", deps(lines, dir)), Error, "Cannot connect");
    const line = lines.find((l) => l.includes("connecting to subtensor"));
    assert(line, lines.join("\n"));
    assert(line.includes("ws://127.0.0.1:9"), line);
    assert(!lines.some((l) => l.includes("development chain")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
