import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { createTtlCache } from "./ttl_cache.ts";

function setup(maxEntries = 10) {
  let nowMs = 0;
  const cache = createTtlCache<number>({ ttlMs: 1000, maxEntries, clock: { now: () => new Date(nowMs) } });
  let loads = 0;
  const load = (value: number) => () => Promise.resolve((loads++, value));
  return { cache, load, loads: () => loads, advance: (ms: number) => void (nowMs += ms) };
}

Deno.test("TtlCache keeps a value for its lifetime, then loads again", async () => {
  const t = setup();
  assertEquals(await t.cache.get("a", t.load(1)), 1);
  t.advance(999);
  assertEquals(await t.cache.get("a", t.load(2)), 1);
  t.advance(1);
  assertEquals(await t.cache.get("a", t.load(3)), 3);
  assertEquals(t.loads(), 2);
});

Deno.test("TtlCache shares one load between concurrent gets and honours a per-value lifetime", async () => {
  const t = setup();
  const forever = (v: number) => (v > 0 ? Infinity : 1000);
  const [a, b] = await Promise.all([
    t.cache.get("k", t.load(5), forever),
    t.cache.get("k", t.load(6), forever),
  ]);
  assertEquals([a, b, t.loads()], [5, 5, 1]);
  t.advance(10_000_000);
  assertEquals(await t.cache.get("k", t.load(7), forever), 5);
});

Deno.test("TtlCache forgets failed loads and evicts the oldest entry past maxEntries", async () => {
  const t = setup(2);
  await assertRejects(() => t.cache.get("bad", () => Promise.reject(new Error("S3 down"))), Error, "S3 down");
  assertEquals(await t.cache.get("bad", t.load(1)), 1);
  await t.cache.get("b", t.load(2));
  await t.cache.get("c", t.load(3));
  assertEquals(await t.cache.get("bad", t.load(4)), 4, "the oldest entry was evicted");
});
