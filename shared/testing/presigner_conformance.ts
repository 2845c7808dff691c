/**
 * The behaviour every `Presigner` must show, as one suite run against the fake
 * (`fake_presigner_test.ts`) and the S3 adapter on radosgw (`tests/integration/s3_presigner_test.ts`).
 * It only uses the port and plain HTTP on the URLs it returns: uploads are browser-style multipart POSTs,
 * reads are GETs, and what is stored is observed through presigned ListObjectsV2 pages.
 *
 * The suite receives its test registrar (`Deno.test`) and the means to send requests and let time pass
 * from the caller, because `shared/` itself reads no runtime, network or clock (`tests/arch_test.ts`).
 * @module
 */
import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import type { PresignedPost, Presigner } from "../ports.ts";
import { MANIFEST_FILE, MINER_ROOT, minerDataKey, minerEpochPrefix, minerPrefix } from "../s3_keys.ts";

/** One test's world: a presigner, an empty bucket it may sign for, and a way to reach its URLs. */
export interface PresignerTestEnv {
  presigner: Presigner;
  /** Exists and is empty when the test starts. */
  bucket: string;
  /** Sends requests to the presigner's URLs: the global `fetch` for a real server, `fake.fetch` for the fake. */
  fetch: typeof fetch;
  /** Lets `seconds` of wall-clock time pass for the presigner (sleep, or advance a fake clock). */
  elapse(seconds: number): Promise<void>;
  /** Removes the bucket and whatever else the env created. */
  teardown(): Promise<void>;
}

/** One test definition, as `Deno.test` accepts it. */
export interface ConformanceTest {
  name: string;
  ignore: boolean;
  fn: () => Promise<void>;
}

/** How the suite is run. */
export interface ConformanceOptions {
  /** Registers one test; pass `Deno.test`. */
  test: (definition: ConformanceTest) => void;
  /** Registers every test as ignored (e.g. when the S3 server is not configured). */
  ignore?: boolean;
}

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const EPOCH = "2025-10-01T16-00-00";
const PREFIX = minerEpochPrefix(ALICE, EPOCH);
const MAX = 1024;
const dataKey = (zipcode: string, file: string) => minerDataKey(ALICE, EPOCH, zipcode, file);

/** Registers the conformance tests for one `Presigner`; `makeEnv` runs before each test, `teardown` after. */
export function runPresignerConformance(
  name: string,
  makeEnv: () => Promise<PresignerTestEnv>,
  options: ConformanceOptions,
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

const CASES: [string, (env: PresignerTestEnv) => Promise<void>][] = [
  ["a presigned POST stores an upload inside the prefix", async (env) => {
    const post = await presignUpload(env);
    assertEquals(post.fields.key, PREFIX + "${filename}");
    assertEquals(post.fields.acl, "private");
    const key = dataKey("10001", "part-0001.parquet");
    await expectUpload(env, post, key, bytes(100), 204);
    // A key left as the `${filename}` template takes the file part's name.
    await expectUpload(env, post, post.fields.key, bytes(100), 204, "", "named.parquet");
    assertEquals(await listAll(env, ""), [`${PREFIX}named.parquet`, key].sort());
  }],

  ["a presigned POST refuses keys outside the prefix and stores nothing", async (env) => {
    const post = await presignUpload(env);
    await expectUpload(
      env,
      post,
      minerDataKey(BOB, EPOCH, "10001", "x.parquet"),
      bytes(100),
      403,
      "AccessDenied",
    );
    await expectUpload(env, post, `${minerPrefix(ALICE)}x.parquet`, bytes(100), 403, "AccessDenied");
    await expectUpload(env, post, `${MINER_ROOT}x.parquet`, bytes(100), 403, "AccessDenied");
    // A string prefix, not a folder: `epoch=...-00-001/` is not under `epoch=...-00-00/`.
    await expectUpload(env, post, `${PREFIX.slice(0, -1)}1/x.parquet`, bytes(100), 403, "AccessDenied");
    assertEquals(await listAll(env, ""), []);
  }],

  ["a presigned POST refuses an upload above maxBytes and stores nothing", async (env) => {
    const post = await presignUpload(env);
    await expectUpload(env, post, dataKey("10001", "big.parquet"), bytes(MAX + 1), 400, "EntityTooLarge");
    await expectUpload(env, post, dataKey("10001", "max.parquet"), bytes(MAX), 204);
    assertEquals(await listAll(env, ""), [dataKey("10001", "max.parquet")]);
  }],

  ["a presigned POST refuses an upload below minBytes", async (env) => {
    const post = await presignUpload(env, { minBytes: 10 });
    await expectUpload(env, post, dataKey("10001", "small.parquet"), bytes(9), 400, "EntityTooSmall");
    await expectUpload(env, post, dataKey("10001", "empty.parquet"), bytes(0), 400, "EntityTooSmall");
    await expectUpload(env, post, dataKey("10001", "min.parquet"), bytes(10), 204);
    assertEquals(await listAll(env, ""), [dataKey("10001", "min.parquet")]);
  }],

  ["a presigned POST with a widened policy is refused", async (env) => {
    const post = await presignUpload(env);
    const policy = JSON.parse(atob(post.fields.Policy));
    policy.conditions = policy.conditions.filter((c: unknown) => !Array.isArray(c));
    const forged = { ...post, fields: { ...post.fields, Policy: btoa(JSON.stringify(policy)) } };
    await expectUpload(env, forged, `${MINER_ROOT}anything.bin`, bytes(MAX * 2), 403);
    assertEquals(await listAll(env, ""), []);
  }],

  ["an exact-key presigned POST stores that one key and refuses its neighbours", async (env) => {
    const key = dataKey("10001", "exact.parquet");
    const post = await env.presigner.presignPost({
      bucket: env.bucket,
      keyPrefix: key,
      exactKey: true,
      minBytes: 1,
      maxBytes: MAX,
      expiresInSeconds: 300,
    });
    assertEquals(post.fields.key, key);
    await expectUpload(env, post, `${key}x`, bytes(10), 403, "AccessDenied");
    await expectUpload(env, post, dataKey("10001", "other.parquet"), bytes(10), 403, "AccessDenied");
    await expectUpload(env, post, key, bytes(10), 204);
    assertEquals(await listAll(env, ""), [key]);
  }],

  ["a presigned GET returns the object's bytes", async (env) => {
    const key = dataKey("10001", "part-0001.parquet");
    const content = Uint8Array.from({ length: 256 }, (_, i) => i);
    await expectUpload(env, await presignUpload(env), key, content, 204);
    const res = await send(env, await presignGet(env, key));
    assertEquals(res.status, 200);
    assertEquals(new Uint8Array(await res.arrayBuffer()), content);
  }],

  ["a tampered presigned GET is refused", async (env) => {
    const post = await presignUpload(env);
    const key = dataKey("10001", "a.parquet");
    const other = dataKey("10001", "b.parquet");
    await expectUpload(env, post, key, bytes(10), 204);
    await expectUpload(env, post, other, bytes(20), 204);
    const good = await presignGet(env, key);

    const url = new URL(good);
    const signature = url.searchParams.get("X-Amz-Signature") ?? "";
    url.searchParams.set("X-Amz-Signature", (signature[0] === "0" ? "1" : "0") + signature.slice(1));
    await expectRefused(env, url.href, 403, "SignatureDoesNotMatch");
    // The signature of one key reused for another.
    await expectRefused(env, good.replace("a.parquet", "b.parquet"), 403);
    const longer = new URL(good);
    longer.searchParams.set("X-Amz-Expires", "604800");
    await expectRefused(env, longer.href, 403);
  }],

  ["expired presigned GET and POST are refused", async (env) => {
    const key = dataKey("10001", "a.parquet");
    await expectUpload(env, await presignUpload(env), key, bytes(10), 204);
    const get = await presignGet(env, key, 2);
    const post = await presignUpload(env, { expiresInSeconds: 2 });
    const fresh = await send(env, get);
    assertEquals(fresh.status, 200, "the GET URL works before it expires");
    await fresh.body?.cancel();

    // Signing dates are whole seconds, so a 2 s URL is valid for 1-2 s and surely dead after 3 s.
    await env.elapse(3);
    await expectRefused(env, get, 403, "AccessDenied");
    await expectUpload(env, post, dataKey("10001", "late.parquet"), bytes(10), 403, "AccessDenied");
    assertEquals(await listAll(env, ""), [key]);
  }],

  ["presigned List pages with maxKeys=2 and fresh continuation URLs give every key once", async (env) => {
    const post = await presignUpload(env);
    const keys = ["10001", "10002", "10003", "10004", "10005"].map((zip) => dataKey(zip, "part.parquet"));
    for (const key of keys) await expectUpload(env, post, key, bytes(10), 204);
    // An object outside the listed prefix must not appear.
    await expectUpload(
      env,
      await presignUpload(env, { keyPrefix: minerPrefix(BOB) }),
      minerDataKey(BOB, EPOCH, "10001", "x.parquet"),
      bytes(10),
      204,
    );

    const pages: string[][] = [];
    const urls = new Set<string>();
    let token: string | undefined;
    do {
      const url = await env.presigner.presignList({
        bucket: env.bucket,
        prefix: PREFIX,
        maxKeys: 2,
        continuationToken: token,
        expiresInSeconds: 60,
      });
      urls.add(url);
      const page = await readPage(env, url);
      pages.push(page.keys);
      assertEquals(page.commonPrefixes, []);
      if (page.truncated) assert(page.nextToken, "a truncated page carries a continuation token");
      token = page.truncated ? page.nextToken : undefined;
    } while (token && pages.length < 10);

    assertEquals(pages.map((p) => p.length), [2, 2, 1]);
    assertEquals(pages.flat(), keys);
    assertEquals(urls.size, pages.length, "every page has its own signed URL");
  }],

  ["presigned List with a delimiter gives common prefixes", async (env) => {
    const post = await presignUpload(env);
    const manifest = `${PREFIX}${MANIFEST_FILE}`;
    const keys = [
      dataKey("10001", "a.parquet"),
      dataKey("10001", "b.parquet"),
      dataKey("10002", "a.parquet"),
    ];
    for (const key of [...keys, manifest]) await expectUpload(env, post, key, bytes(10), 204);
    await expectUpload(
      env,
      await presignUpload(env, { keyPrefix: minerPrefix(BOB) }),
      minerDataKey(BOB, EPOCH, "10001", "x.parquet"),
      bytes(10),
      204,
    );

    const epoch = await readPage(env, await presignList(env, PREFIX, "/"));
    assertEquals(epoch.keys, [manifest]);
    assertEquals(epoch.commonPrefixes, [`${PREFIX}zipcode=10001/`, `${PREFIX}zipcode=10002/`]);
    assertEquals(epoch.truncated, false);

    // Paging one entry at a time: a common prefix's token skips the keys rolled up into it.
    const entries: string[] = [];
    let token: string | undefined;
    do {
      const url = await env.presigner.presignList({
        bucket: env.bucket,
        prefix: PREFIX,
        delimiter: "/",
        maxKeys: 1,
        continuationToken: token,
        expiresInSeconds: 60,
      });
      const page = await readPage(env, url);
      entries.push(...page.keys, ...page.commonPrefixes);
      token = page.truncated ? page.nextToken : undefined;
    } while (token && entries.length < 10);
    assertEquals(entries, [manifest, `${PREFIX}zipcode=10001/`, `${PREFIX}zipcode=10002/`]);

    // The validators' "list all miners" view.
    const miners = await readPage(env, await presignList(env, MINER_ROOT, "/"));
    assertEquals(miners.keys, []);
    assertEquals(miners.commonPrefixes, [minerPrefix(ALICE), minerPrefix(BOB)].sort());
  }],

  ["checkBucket() is ok for the bucket and not ok for a missing one", async (env) => {
    const present = await env.presigner.checkBucket(env.bucket);
    assertEquals(present.ok, true);
    assert(present.latencyMs >= 0);
    const missing = await env.presigner.checkBucket(`${env.bucket}-missing`);
    assertEquals(missing.ok, false);
  }],
];

function presignUpload(
  env: PresignerTestEnv,
  change: { keyPrefix?: string; minBytes?: number; expiresInSeconds?: number } = {},
): Promise<PresignedPost> {
  return env.presigner.presignPost({
    bucket: env.bucket,
    keyPrefix: PREFIX,
    minBytes: 1,
    maxBytes: MAX,
    expiresInSeconds: 300,
    ...change,
  });
}

function presignGet(env: PresignerTestEnv, key: string, expiresInSeconds = 300): Promise<string> {
  return env.presigner.presignGet({ bucket: env.bucket, key, expiresInSeconds });
}

function presignList(env: PresignerTestEnv, prefix: string, delimiter?: string): Promise<string> {
  return env.presigner.presignList({ bucket: env.bucket, prefix, delimiter, expiresInSeconds: 60 });
}

/** Sends through the env's fetch (bound to a local name: the arch test flags calls of the global one). */
function send(env: PresignerTestEnv, url: string, init?: RequestInit): Promise<Response> {
  const { fetch: injected } = env;
  return injected(url, init);
}

/** Uploads the way browsers and the miners do: the policy fields with `key` replaced, then the file. */
async function expectUpload(
  env: PresignerTestEnv,
  post: PresignedPost,
  key: string,
  content: Uint8Array,
  status: number,
  code = "",
  filename = "upload.bin",
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, name === "key" ? key : value);
  form.append("file", new Blob([content as BlobPart]), filename);
  const res = await send(env, post.url, { method: "POST", body: form });
  const body = await res.text();
  assertEquals(res.status, status, `POST of ${content.byteLength} B to ${key}: ${body}`);
  if (code) assertMatch(body, new RegExp(`<Code>${code}</Code>`));
}

async function expectRefused(env: PresignerTestEnv, url: string, status: number, code = ""): Promise<void> {
  const res = await send(env, url);
  const body = await res.text();
  assertEquals(res.status, status, `GET ${url}: ${body}`);
  if (code) assertMatch(body, new RegExp(`<Code>${code}</Code>`));
}

interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  truncated: boolean;
  nextToken?: string;
}

/** Fetches one ListObjectsV2 page and reads the few elements the suite needs from its XML. */
async function readPage(env: PresignerTestEnv, url: string): Promise<ListPage> {
  const res = await send(env, url);
  const xml = await res.text();
  assertEquals(res.status, 200, `list ${url}: ${xml}`);
  const all = (pattern: RegExp) => [...xml.matchAll(pattern)].map((m) => xmlText(m[1]));
  const token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml);
  return {
    keys: all(/<Contents>(?:(?!<\/Contents>)[\s\S])*?<Key>([^<]*)<\/Key>/g),
    commonPrefixes: all(/<CommonPrefixes>\s*<Prefix>([^<]*)<\/Prefix>/g),
    truncated: /<IsTruncated>true<\/IsTruncated>/.test(xml),
    nextToken: token ? xmlText(token[1]) : undefined,
  };
}

/** Every key under `prefix`, page by page. */
async function listAll(env: PresignerTestEnv, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const url = await env.presigner.presignList({
      bucket: env.bucket,
      prefix,
      continuationToken: token,
      expiresInSeconds: 60,
    });
    const page = await readPage(env, url);
    keys.push(...page.keys);
    token = page.truncated ? page.nextToken : undefined;
  } while (token);
  return keys;
}

function xmlText(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, body: string) => {
    if (body[0] !== "#") return named[body] ?? entity;
    return String.fromCodePoint(
      body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : Number(body.slice(1)),
    );
  });
}

function bytes(n: number): Uint8Array {
  return new Uint8Array(n).fill(0x61);
}
