/**
 * The behaviour every `ObjectReader` must show, run against the fake (`fake_object_reader_test.ts`) and the
 * S3 adapter on a local S3 server (`shared/adapters/s3/s3_object_reader_test.ts`). The caller seeds objects with
 * whatever writes to its store, and passes its test registrar, because `shared/` runs nothing by itself.
 * @module
 */
import { assertEquals, assertRejects } from "../../tests/assert.ts";
import type { ObjectReader } from "../ports.ts";

/** One test's world: a reader and a way to store objects in its (existing, empty) bucket. */
export interface ObjectReaderTestEnv {
  reader: ObjectReader;
  bucket: string;
  put(key: string, body: string): Promise<void>;
  teardown(): Promise<void>;
}

const CASES: [string, (env: ObjectReaderTestEnv) => Promise<void>][] = [
  [
    "listFolders() returns the folders directly below the prefix, in key order, over every page",
    async (env) => {
      for (
        const key of ["v/b/epoch=1/r.json", "v/a/epoch=1/r.json", "v/a/epoch=2/r.json", "v/c/x", "v/top.json"]
      ) {
        await env.put(key, "{}");
      }
      for (let i = 0; i < 5; i++) await env.put(`v/z${i}/f`, "{}");
      await env.put("w/a/r.json", "{}");
      assertEquals(await env.reader.listFolders(env.bucket, "v/"), [
        "v/a/",
        "v/b/",
        "v/c/",
        ...Array.from({ length: 5 }, (_, i) => `v/z${i}/`),
      ]);
      assertEquals(await env.reader.listFolders(env.bucket, "v/a/"), ["v/a/epoch=1/", "v/a/epoch=2/"]);
      assertEquals(await env.reader.listFolders(env.bucket, "none/"), []);
    },
  ],
  [
    "listObjects() returns every object below the prefix with its size and write time, over every page",
    async (env) => {
      const before = Date.now() - 60_000;
      for (let i = 0; i < 5; i++) await env.put(`v/a/p/${i}.json`, "x".repeat(i + 1));
      await env.put("v/ab/other.json", "{}");
      const listed = await env.reader.listObjects(env.bucket, "v/a/");
      assertEquals(
        listed.map((o) => [o.key, o.size]),
        Array.from({ length: 5 }, (_, i) => [`v/a/p/${i}.json`, i + 1]),
      );
      for (const o of listed) {
        assertEquals(o.lastModifiedMs >= before && o.lastModifiedMs <= Date.now() + 60_000, true, o.key);
      }
      assertEquals(await env.reader.listObjects(env.bucket, "none/"), []);
    },
  ],
  ["getObject() returns the bytes, or null for a missing key", async (env) => {
    await env.put("v/a/r.json", '{"ok":true}');
    assertEquals(
      new TextDecoder().decode((await env.reader.getObject(env.bucket, "v/a/r.json"))!),
      '{"ok":true}',
    );
    assertEquals(await env.reader.getObject(env.bucket, "v/a/missing.json"), null);
  }],
  ["getObject() with maxBytes reads at most maxBytes + 1 bytes", async (env) => {
    await env.put("v/a/big.json", "0123456789");
    const head = await env.reader.getObject(env.bucket, "v/a/big.json", { maxBytes: 4 });
    assertEquals(new TextDecoder().decode(head!), "01234");
    const whole = await env.reader.getObject(env.bucket, "v/a/big.json", { maxBytes: 100 });
    assertEquals(new TextDecoder().decode(whole!), "0123456789");
    assertEquals(await env.reader.getObject(env.bucket, "v/a/none.json", { maxBytes: 4 }), null);
  }],
  ["a missing bucket is an error, not an empty answer", async (env) => {
    await assertRejects(() => env.reader.listFolders(`${env.bucket}-missing`, "v/"));
    await assertRejects(() => env.reader.getObject(`${env.bucket}-missing`, "v/a/r.json"));
    await assertRejects(() => env.reader.listObjects(`${env.bucket}-missing`, "v/"));
  }],
];

/** Registers the conformance tests for one reader; `makeEnv` runs before each test, `teardown` after. */
export function runObjectReaderConformance(
  name: string,
  makeEnv: () => Promise<ObjectReaderTestEnv>,
  options: {
    test: (definition: { name: string; ignore: boolean; fn: () => Promise<void> }) => void;
    ignore?: boolean;
  },
): void {
  for (const [title, body] of CASES) {
    options.test({
      name: `${name}: ${title}`,
      ignore: options.ignore ?? false,
      fn: async () => {
        const env = await makeEnv();
        try {
          await body(env);
        } finally {
          await env.teardown();
        }
      },
    });
  }
}
