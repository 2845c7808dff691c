import { assertEquals, assertRejects } from "../../tests/assert.ts";
import type { Clock } from "../ports.ts";
import { createFakePresigner, FAKE_S3_BASE_URL, type FakePresigner } from "./fake_presigner.ts";
import { runPresignerConformance } from "./presigner_conformance.ts";

const START = Date.parse("2025-10-01T16:00:00Z");

/** A clock that moves only when told to. */
function manualClock(): Clock & { advance(seconds: number): void } {
  let now = START;
  return {
    now: () => new Date(now),
    advance: (seconds) => void (now += seconds * 1000),
  };
}

runPresignerConformance("fake presigner", () => {
  const clock = manualClock();
  const fake = createFakePresigner({ clock, buckets: ["zipmine-fake"] });
  return Promise.resolve({
    presigner: fake,
    bucket: "zipmine-fake",
    fetch: fake.fetch,
    elapse: (seconds) => Promise.resolve(clock.advance(seconds)),
    teardown: () => Promise.resolve(fake.deleteBucket("zipmine-fake")),
  });
}, { test: Deno.test });

function makeFake(): { clock: ReturnType<typeof manualClock>; fake: FakePresigner } {
  const clock = manualClock();
  return { clock, fake: createFakePresigner({ clock, buckets: ["b"] }) };
}

Deno.test("fake presigner: the same calls on the same clock give the same URLs", async () => {
  const issue = async ({ fake }: ReturnType<typeof makeFake>) => [
    await fake.presignGet({ bucket: "b", key: "up/x=1/a b.parquet", expiresInSeconds: 60 }),
    await fake.presignList({ bucket: "b", prefix: "up/", delimiter: "/", maxKeys: 5, expiresInSeconds: 60 }),
    (await fake.presignPost({
      bucket: "b",
      keyPrefix: "up/",
      minBytes: 1,
      maxBytes: 9,
      expiresInSeconds: 60,
    }))
      .fields,
  ];
  const first = await issue(makeFake());
  assertEquals(await issue(makeFake()), first);
  assertEquals(
    first[0],
    `${FAKE_S3_BASE_URL}/b/up/x%3D1/a%20b.parquet?X-Amz-Date=20251001T160000Z&X-Amz-Expires=60` +
      `&X-Amz-Signature=${"1".padStart(64, "0")}`,
  );
});

Deno.test("fake presigner: a presigned POST's expiresAt and policy follow the injected clock", async () => {
  const { fake } = makeFake();
  const post = await fake.presignPost({
    bucket: "b",
    keyPrefix: "up/",
    minBytes: 1,
    maxBytes: 9,
    expiresInSeconds: 90,
  });
  assertEquals(post.url, `${FAKE_S3_BASE_URL}/b`);
  assertEquals(post.expiresAt, new Date(START + 90_000));
  assertEquals(JSON.parse(atob(post.fields.Policy)).expiration, "2025-10-01T16:01:30Z");
});

Deno.test("fake presigner: seeded objects are readable through presigned GETs", async () => {
  const { fake } = makeFake();
  fake.putObject("b", "up/seed.json", '{"ok":true}');
  const res = await fake.fetch(
    await fake.presignGet({ bucket: "b", key: "up/seed.json", expiresInSeconds: 60 }),
  );
  assertEquals([res.status, await res.text()], [200, '{"ok":true}']);
  assertEquals(fake.keys("b"), ["up/seed.json"]);
  assertEquals(fake.getObject("b", "up/seed.json")?.lastModified, new Date(START));
});

Deno.test("fake presigner: URLs it never issued are refused and foreign hosts fail like a network error", async () => {
  const { fake } = makeFake();
  fake.putObject("b", "up/a", "a");
  const guessed = await fake.fetch(`${FAKE_S3_BASE_URL}/b/up/a`);
  assertEquals(guessed.status, 403);
  await guessed.body?.cancel();
  const url = await fake.presignGet({ bucket: "b", key: "up/a", expiresInSeconds: 60 });
  const head = await fake.fetch(url, { method: "HEAD" });
  assertEquals(head.status, 403, "a GET signature does not cover HEAD");
  await head.body?.cancel();
  await assertRejects(() => fake.fetch("https://example.com/b/up/a"), TypeError, "fake-s3.invalid");
});

Deno.test("fake presigner: a missing object is 404 and checkBucket follows createBucket/deleteBucket", async () => {
  const { fake } = makeFake();
  const res = await fake.fetch(await fake.presignGet({ bucket: "b", key: "nope", expiresInSeconds: 60 }));
  assertEquals(res.status, 404);
  await res.body?.cancel();
  fake.createBucket("c");
  assertEquals((await fake.checkBucket("c")).ok, true);
  fake.deleteBucket("c");
  assertEquals((await fake.checkBucket("c")).ok, false);
});
