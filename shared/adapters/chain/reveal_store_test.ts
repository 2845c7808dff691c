import { assertEquals, assertRejects } from "../../../tests/assert.ts";
import { openRevealStore, type PendingReveal, REVEALS_FILE } from "./reveal_store.ts";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

function reveal(hash: string, commitBlock: number | null): PendingReveal {
  return {
    netuid: 46,
    hotkey: HOTKEY,
    hash: `0x${hash.repeat(64)}`,
    uids: [0, 3],
    values: [65535, 1200],
    salt: [1, 2, 3, 4, 5, 6, 7, 8],
    versionKey: 7,
    commitBlock,
    firstRevealBlock: commitBlock === null ? null : commitBlock + 300,
    lastRevealBlock: commitBlock === null ? null : commitBlock + 660,
    createdAt: "2026-01-01T00:00:00.000Z",
  };
}

Deno.test("reveal store: entries survive a reopen, in commit order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "reveal_store_test_" });
  try {
    const store = await openRevealStore(dir);
    assertEquals(store.list(), []);
    await store.put(reveal("b", 200));
    await store.put(reveal("a", 100));
    await store.put(reveal("c", null));
    const again = await openRevealStore(dir);
    assertEquals(again.list().map((r) => r.commitBlock), [100, 200, null]);
    await again.put({ ...reveal("c", null), commitBlock: 150, firstRevealBlock: 450, lastRevealBlock: 810 });
    await again.remove(HOTKEY, `0x${"a".repeat(64)}`);
    await again.remove(HOTKEY, `0x${"f".repeat(64)}`); // absent: no-op
    const third = await openRevealStore(dir);
    assertEquals(third.list().map((r) => [r.hash.slice(2, 3), r.commitBlock]), [["c", 150], ["b", 200]]);
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assertEquals(names, [REVEALS_FILE]); // no temporary file left behind
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reveal store: a corrupt file is an error, not an empty list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "reveal_store_test_" });
  try {
    await Deno.writeTextFile(`${dir}/${REVEALS_FILE}`, "{not json");
    await assertRejects(() => openRevealStore(dir), SyntaxError, "Cannot read reveals file");
    await Deno.writeTextFile(`${dir}/${REVEALS_FILE}`, JSON.stringify({ version: 1, reveals: [{}] }));
    await assertRejects(() => openRevealStore(dir), SyntaxError, "Cannot read reveals file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reveal store: put() validates the entry", async () => {
  const dir = await Deno.makeTempDir({ prefix: "reveal_store_test_" });
  try {
    const store = await openRevealStore(dir);
    await assertRejects(() => store.put({ ...reveal("a", 1), salt: [70000] }));
    assertEquals(store.list(), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
