/**
 * An in-memory `Presigner` for tests, with an in-memory bucket store behind it. It issues deterministic
 * fake URLs (a counter for the "signature", the injected clock for dates) and serves them through
 * `fake.fetch`, a `fetch`-compatible function that answers the way S3 does:
 *
 * - only a URL it issued, unchanged, is honoured (any edit: 403 SignatureDoesNotMatch);
 * - a grant past its expiry by the injected clock is refused (403 AccessDenied);
 * - a POST must carry the issued fields unchanged, a key under the prefix (403 AccessDenied) and a file
 *   within the size range (400 EntityTooSmall / EntityTooLarge); `${filename}` in the key is replaced by
 *   the file part's name, as S3 does;
 * - list URLs answer ListObjectsV2 XML with prefix, delimiter, max-keys and continuation tokens.
 *
 * It does not model ACLs, ranges, ETags, versions or multipart uploads. Fake URLs live under
 * `https://fake-s3.invalid` (a reserved name that never resolves), so one leaking to the real `fetch`
 * fails loudly. `shared/testing/presigner_conformance.ts` holds it to the real adapter's behaviour.
 * @module
 */
import type { Clock, PresignedPost, Presigner, PresignListOptions, PresignPostOptions } from "../ports.ts";

/** Where fake URLs point. */
export const FAKE_S3_BASE_URL = "https://fake-s3.invalid";

/** How to build a fake presigner. */
export interface FakePresignerOptions {
  /** Dates the grants and decides expiry; tests advance it to expire URLs. */
  clock: Clock;
  /** Buckets that exist from the start. */
  buckets?: readonly string[];
}

/** A stored object. */
export interface FakeObject {
  body: Uint8Array;
  lastModified: Date;
}

/** The fake presigner, its `fetch` and direct access to its store for seeding and inspection. */
export interface FakePresigner extends Presigner {
  /** Serves the URLs this fake issued, as S3 would; throws `TypeError` (a network error) for other hosts. */
  readonly fetch: typeof fetch;
  createBucket(bucket: string): void;
  deleteBucket(bucket: string): void;
  putObject(bucket: string, key: string, body: Uint8Array | string): void;
  getObject(bucket: string, key: string): FakeObject | undefined;
  /** The bucket's keys in S3 order. */
  keys(bucket: string): string[];
}

/** What a fake URL is good for, before the issuer adds its exact URL and expiry. */
type UrlGrant = { kind: "get"; bucket: string; key: string } | {
  kind: "list";
  bucket: string;
  options: PresignListOptions;
};
type Grant =
  | { kind: "post"; options: PresignPostOptions; fields: Record<string, string>; expiresAt: Date }
  | UrlGrant & { href: string; expiresAt: Date };

const MAX_LIST_KEYS = 1000;
const FILENAME = "${filename}";

/** Creates a fake presigner with an empty store (plus `options.buckets`). */
export function createFakePresigner(options: FakePresignerOptions): FakePresigner {
  const { clock } = options;
  const store = new Map<string, Map<string, FakeObject>>();
  const grants = new Map<string, Grant>();
  let issued = 0;

  for (const bucket of options.buckets ?? []) store.set(bucket, new Map());

  /** The next fake signature: a counter, so the same calls on the same clock give the same URLs. */
  function nextSignature(): string {
    return (++issued).toString(16).padStart(64, "0");
  }

  function expiry(seconds: number): Date {
    // Whole seconds, like a real policy's expiration.
    return new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + seconds * 1000);
  }

  /** Issues a GET-style URL for `path` + `query` and records its grant. */
  function issueUrl(
    path: string,
    query: Record<string, string>,
    expiresInSeconds: number,
    grant: UrlGrant,
  ): string {
    const signature = nextSignature();
    const url = new URL(FAKE_S3_BASE_URL + path);
    const signed = {
      ...query,
      "X-Amz-Date": amzDate(clock.now()),
      "X-Amz-Expires": String(expiresInSeconds),
      "X-Amz-Signature": signature,
    };
    for (const [name, value] of Object.entries(signed)) url.searchParams.set(name, value);
    grants.set(signature, { ...grant, href: url.href, expiresAt: expiry(expiresInSeconds) });
    return url.href;
  }

  const presigner: Presigner = {
    presignPost(post) {
      const signature = nextSignature();
      const expiresAt = expiry(post.expiresInSeconds);
      const fixed = {
        acl: "private",
        bucket: post.bucket,
        "X-Amz-Algorithm": "ZIPMINE-FAKE",
        "X-Amz-Date": amzDate(clock.now()),
      };
      // The conditions the real adapter signs, so code that reads the policy sees the same shape.
      const policy = {
        expiration: expiresAt.toISOString().replace(".000Z", "Z"),
        conditions: [
          post.exactKey ? ["eq", "$key", post.keyPrefix] : ["starts-with", "$key", post.keyPrefix],
          ["content-length-range", post.minBytes, post.maxBytes],
          ...Object.entries(fixed).map(([name, value]) => ({ [name]: value })),
        ],
      };
      const fields = {
        ...fixed,
        key: post.exactKey ? post.keyPrefix : post.keyPrefix + FILENAME,
        Policy: base64(JSON.stringify(policy)),
        "X-Amz-Signature": signature,
      };
      grants.set(signature, { kind: "post", options: post, fields, expiresAt });
      const url = `${FAKE_S3_BASE_URL}/${encodeURIComponent(post.bucket)}`;
      return Promise.resolve({ url, fields, expiresAt } satisfies PresignedPost);
    },

    presignGet({ bucket, key, expiresInSeconds }) {
      const path = `/${encodeURIComponent(bucket)}/${encodeKey(key)}`;
      return Promise.resolve(issueUrl(path, {}, expiresInSeconds, { kind: "get", bucket, key }));
    },

    presignList(list) {
      const query: Record<string, string> = { "list-type": "2", prefix: list.prefix };
      if (list.delimiter !== undefined) query.delimiter = list.delimiter;
      if (list.continuationToken !== undefined) query["continuation-token"] = list.continuationToken;
      if (list.maxKeys !== undefined) query["max-keys"] = String(list.maxKeys);
      const path = `/${encodeURIComponent(list.bucket)}`;
      return Promise.resolve(
        issueUrl(path, query, list.expiresInSeconds, { kind: "list", bucket: list.bucket, options: list }),
      );
    },

    checkBucket(bucket) {
      return Promise.resolve({ ok: store.has(bucket), latencyMs: 0 });
    },
  };

  /** Serves one request the way S3 would serve the presigned URL. */
  async function serve(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== FAKE_S3_BASE_URL) {
      throw new TypeError(`fake presigner cannot reach ${url.origin}; it serves only ${FAKE_S3_BASE_URL}`);
    }
    if (request.method === "POST" && url.search === "") return await servePost(request, url);

    const found = grants.get(url.searchParams.get("X-Amz-Signature") ?? "");
    if (!found || found.kind === "post" || found.href !== url.href || request.method !== "GET") {
      await request.body?.cancel();
      return s3Error(403, "SignatureDoesNotMatch", "The request signature does not match any issued URL");
    }
    if (clock.now() > found.expiresAt) return s3Error(403, "AccessDenied", "Request has expired");
    const objects = store.get(found.bucket);
    if (!objects) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    if (found.kind === "list") return listObjects(found.bucket, objects, found.options);

    const object = objects.get(found.key);
    if (!object) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    return new Response(object.body.slice(), {
      status: 200,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(object.body.byteLength),
        "last-modified": object.lastModified.toUTCString(),
      },
    });
  }

  /** A browser-style form upload against a POST grant. */
  async function servePost(request: Request, url: URL): Promise<Response> {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return s3Error(
        400,
        "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data.",
      );
    }
    const sent = new Map<string, string>();
    let file: File | undefined;
    for (const [name, value] of form) {
      if (typeof value === "string") sent.set(name.toLowerCase(), value);
      else if (name === "file") file = value;
    }
    const found = grants.get(sent.get("x-amz-signature") ?? "");
    if (!found || found.kind !== "post" || sent.get("policy") !== found.fields.Policy) {
      return s3Error(403, "SignatureDoesNotMatch", "The policy signature does not match any issued policy");
    }
    if (clock.now() > found.expiresAt) {
      return s3Error(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    }
    const { bucket, keyPrefix, minBytes, maxBytes } = found.options;
    if (url.pathname !== `/${encodeURIComponent(bucket)}`) {
      return s3Error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: bucket");
    }
    const allowed = new Set(Object.keys(found.fields).map((name) => name.toLowerCase()));
    for (const name of sent.keys()) {
      if (!allowed.has(name) && !name.startsWith("x-ignore-")) {
        return s3Error(403, "AccessDenied", `Invalid according to Policy: Extra input fields: ${name}`);
      }
    }
    for (const [name, value] of Object.entries(found.fields)) {
      // The URL names the bucket (checked above); S3 servers ignore the `bucket` form field's value.
      if (name !== "key" && name !== "bucket" && sent.get(name.toLowerCase()) !== value) {
        return s3Error(403, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ${name}`);
      }
    }
    if (!file) return s3Error(400, "InvalidArgument", "POST requires exactly one file upload per request.");
    const key = (sent.get("key") ?? "").replaceAll(FILENAME, file.name);
    if (found.options.exactKey && key !== keyPrefix) {
      return s3Error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: eq $key");
    }
    if (!key.startsWith(keyPrefix)) {
      return s3Error(
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: starts-with $key",
      );
    }
    if (file.size < minBytes) {
      return s3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
    }
    if (file.size > maxBytes) {
      return s3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    }
    const objects = store.get(bucket);
    if (!objects) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    objects.set(key, { body: new Uint8Array(await file.arrayBuffer()), lastModified: clock.now() });
    return new Response(null, { status: 204 });
  }

  function bucketOf(bucket: string): Map<string, FakeObject> {
    const objects = store.get(bucket);
    if (!objects) throw new RangeError(`fake presigner: no bucket "${bucket}"`);
    return objects;
  }

  return {
    ...presigner,
    fetch: serve,
    createBucket(bucket) {
      if (!store.has(bucket)) store.set(bucket, new Map());
    },
    deleteBucket(bucket) {
      store.delete(bucket);
    },
    putObject(bucket, key, body) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body.slice();
      bucketOf(bucket).set(key, { body: bytes, lastModified: clock.now() });
    },
    getObject: (bucket, key) => store.get(bucket)?.get(key),
    keys: (bucket) => sortedKeys(bucketOf(bucket)),
  };
}

/** ListObjectsV2 over the in-memory bucket. Tokens are the base64 of the last key or common prefix sent. */
function listObjects(
  bucket: string,
  objects: Map<string, FakeObject>,
  options: PresignListOptions,
): Response {
  const { prefix, delimiter, continuationToken } = options;
  const maxKeys = Math.min(options.maxKeys ?? MAX_LIST_KEYS, MAX_LIST_KEYS);
  let after = "";
  if (continuationToken !== undefined) {
    try {
      after = unbase64(continuationToken);
    } catch {
      return s3Error(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
  }
  // A token that is a common prefix skips every key rolled up into it.
  const afterRollsUp = commonPrefixOf(after, prefix, delimiter) === after;

  const entries: { key?: string; commonPrefix?: string }[] = [];
  let truncated = false;
  for (const key of sortedKeys(objects)) {
    if (!key.startsWith(prefix) || key <= after || (afterRollsUp && key.startsWith(after))) continue;
    const commonPrefix = commonPrefixOf(key, prefix, delimiter);
    if (commonPrefix !== undefined && entries.at(-1)?.commonPrefix === commonPrefix) continue;
    if (entries.length === maxKeys) {
      truncated = true;
      break;
    }
    entries.push(commonPrefix !== undefined ? { commonPrefix } : { key });
  }

  const last = entries.at(-1);
  const element = (name: string, value: string | number | boolean) =>
    `<${name}>${xmlEscape(String(value))}</${name}>`;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    element("Name", bucket),
    element("Prefix", prefix),
    element("KeyCount", entries.length),
    element("MaxKeys", maxKeys),
    delimiter !== undefined ? element("Delimiter", delimiter) : "",
    element("IsTruncated", truncated),
    continuationToken !== undefined ? element("ContinuationToken", continuationToken) : "",
    truncated && last ? element("NextContinuationToken", base64(last.key ?? last.commonPrefix ?? "")) : "",
    ...entries.filter((e) => e.key !== undefined).map(({ key }) => {
      const object = objects.get(key!)!;
      return `<Contents>${element("Key", key!)}${element("LastModified", object.lastModified.toISOString())}${
        element("Size", object.body.byteLength)
      }${element("StorageClass", "STANDARD")}</Contents>`;
    }),
    ...entries.filter((e) => e.commonPrefix !== undefined).map((e) =>
      `<CommonPrefixes>${element("Prefix", e.commonPrefix!)}</CommonPrefixes>`
    ),
    "</ListBucketResult>",
  ].join("");
  return new Response(xml, { status: 200, headers: { "content-type": "application/xml" } });
}

/** The common prefix `key` rolls up into under `prefix` and `delimiter`, if any. */
function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const cut = key.indexOf(delimiter, prefix.length);
  return cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
}

function s3Error(status: number, code: string, message: string): Response {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${
    xmlEscape(message)
  }</Message></Error>`;
  return new Response(xml, { status, headers: { "content-type": "application/xml" } });
}

/** `20251001T160000Z`, the SigV4 date format. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** Percent-encodes each path segment of a key, keeping the slashes. */
function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

/** S3 lists keys in UTF-8 byte order; for the ASCII keys of `s3_keys.ts` that is code-unit order. */
function sortedKeys(objects: Map<string, FakeObject>): string[] {
  return [...objects.keys()].sort();
}

function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function unbase64(text: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(
    Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
  );
}
