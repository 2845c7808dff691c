// Offline checks of the S3 presigner: URL shapes, the POST policy, option guards and checkBucket's
// failure handling. Its behaviour against a real server is tests/integration/s3_presigner_test.ts.
import { assert, assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { createS3Presigner, type S3PresignerOptions } from "./s3_presigner.ts";

const KEYS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const AWS: S3PresignerOptions = { region: "us-east-2", forcePathStyle: false, ...KEYS };
const LOCAL: S3PresignerOptions = {
  endpoint: "http://127.0.0.1:7480",
  region: "us-east-1",
  forcePathStyle: true,
  ...KEYS,
};
const POST = {
  bucket: "zipmine-b1",
  keyPrefix: "up/a=1/",
  minBytes: 1,
  maxBytes: 1024,
  expiresInSeconds: 600,
};

function policyOf(fields: Record<string, string>): { expiration: string; conditions: unknown[] } {
  return JSON.parse(atob(fields.Policy));
}

Deno.test("presignPost() targets the virtual-hosted AWS bucket URL without a trailing slash", async () => {
  const post = await createS3Presigner(AWS).presignPost(POST);
  assertEquals(post.url, "https://zipmine-b1.s3.us-east-2.amazonaws.com");
});

Deno.test("presignPost() targets endpoint/bucket when forcePathStyle", async () => {
  const post = await createS3Presigner(LOCAL).presignPost(POST);
  assertEquals(post.url, "http://127.0.0.1:7480/zipmine-b1");
});

Deno.test("presignPost() signs the prefix, size range and acl conditions", async () => {
  const before = Date.now();
  const post = await createS3Presigner(AWS).presignPost(POST);
  assertEquals(post.fields.key, "up/a=1/${filename}");
  assertEquals(post.fields.acl, "private");
  assertEquals(post.fields["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
  assertMatch(post.fields["X-Amz-Signature"], /^[0-9a-f]{64}$/);
  const policy = policyOf(post.fields);
  for (
    const condition of [["starts-with", "$key", "up/a=1/"], ["content-length-range", 1, 1024], {
      acl: "private",
    }]
  ) {
    assert(
      policy.conditions.some((c) => JSON.stringify(c) === JSON.stringify(condition)),
      `missing condition ${JSON.stringify(condition)}`,
    );
  }
  assertEquals(post.expiresAt.toISOString().replace(".000", ""), policy.expiration);
  const lifetime = post.expiresAt.getTime() - before;
  assert(lifetime > 598_000 && lifetime <= 601_000, `expiresAt ${post.expiresAt.toISOString()}`);
});

Deno.test("presignPost() refuses an empty prefix, a bad size range and a bad expiry", async () => {
  const presigner = createS3Presigner(AWS);
  await assertRejects(() => presignPostWith(presigner, { keyPrefix: "" }), RangeError, "keyPrefix");
  await assertRejects(
    () => presignPostWith(presigner, { minBytes: 10, maxBytes: 9 }),
    RangeError,
    "size range",
  );
  await assertRejects(
    () => presignPostWith(presigner, { expiresInSeconds: 0 }),
    RangeError,
    "expiresInSeconds",
  );
  await assertRejects(
    () => presignPostWith(presigner, { expiresInSeconds: 8 * 86400 }),
    RangeError,
    "expiresInSeconds",
  );
});

function presignPostWith(presigner: ReturnType<typeof createS3Presigner>, change: Partial<typeof POST>) {
  return presigner.presignPost({ ...POST, ...change });
}

Deno.test("presignGet() signs a path-style GetObject URL with no checksum-mode parameter", async () => {
  const url = new URL(
    await createS3Presigner(LOCAL).presignGet({
      bucket: "zipmine-b1",
      key: "up/a=1/x.parquet",
      expiresInSeconds: 60,
    }),
  );
  assertEquals(url.origin + url.pathname, "http://127.0.0.1:7480/zipmine-b1/up/a%3D1/x.parquet");
  assertEquals(url.searchParams.get("X-Amz-Expires"), "60");
  assertEquals(url.searchParams.get("X-Amz-SignedHeaders"), "host");
  assertEquals(url.searchParams.has("x-amz-checksum-mode"), false);
  assert(!url.href.includes(KEYS.secretAccessKey), "the secret never appears in a URL");
});

Deno.test("presignList() puts every paging parameter inside the signed query", async () => {
  const url = new URL(
    await createS3Presigner(AWS).presignList({
      bucket: "zipmine-b1",
      prefix: "up/",
      delimiter: "/",
      continuationToken: "tok+/=",
      maxKeys: 2,
      expiresInSeconds: 60,
    }),
  );
  assertEquals(url.origin, "https://zipmine-b1.s3.us-east-2.amazonaws.com");
  const query = Object.fromEntries(url.searchParams);
  assertEquals(
    [query["list-type"], query.prefix, query.delimiter, query["continuation-token"], query["max-keys"]],
    ["2", "up/", "/", "tok+/=", "2"],
  );
  assertMatch(query["X-Amz-Signature"], /^[0-9a-f]{64}$/);
});

Deno.test("checkBucket() reports an unreachable server as not ok instead of throwing", async () => {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  const presigner = createS3Presigner({ ...LOCAL, endpoint: "http://127.0.0.1:1" });
  const result = await presigner.checkBucket("zipmine-b1");
  assertEquals(result.ok, false);
  assert(result.latencyMs >= 0 && result.latencyMs < 5000, `latency ${result.latencyMs}`);
});

Deno.test("checkBucket() gives up on a server that never answers after checkTimeoutMs", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const presigner = createS3Presigner({
      ...LOCAL,
      endpoint: `http://127.0.0.1:${listener.addr.port}`,
      checkTimeoutMs: 200,
    });
    const result = await presigner.checkBucket("zipmine-b1");
    assertEquals(result.ok, false);
    assert(result.latencyMs >= 190 && result.latencyMs < 2000, `latency ${result.latencyMs}`);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting;
  }
});
