// The sync against an in-memory stub of the two SDK commands it sends, the unsigned client against a local
// HTTP server, and (when ZIPMINE_TEST_S3_ENDPOINT is set, see .ci/s3-server.sh) the whole `deno task query`
// against radosgw: create a bucket, upload an archive, sync, query.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { validatorKey } from "../../shared/s3_keys.ts";
import { writeArchive } from "../../tests/harness/archive_fixture.ts";
import { createS3Reader, type S3Reader, SYNC_STATE_FILE, syncArchive, SyncError } from "./s3_sync.ts";

const V = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const EPOCH = "2025-10-01T16-00-00";

/** A bucket in memory answering ListObjectsV2 (two keys a page) and GetObject, counting downloads. */
function stubBucket(objects: Map<string, string>) {
  const etags = new Map<string, string>();
  const etag = (key: string) => etags.get(key) ?? `"${objects.get(key)!.length}-${key.length}"`;
  const gets: string[] = [];
  const client = {
    send(command: ListObjectsV2Command | GetObjectCommand) {
      if (command instanceof ListObjectsV2Command) {
        const keys = [...objects.keys()].filter((k) => k.startsWith(command.input.Prefix ?? "")).sort();
        const start = Number(command.input.ContinuationToken ?? 0);
        const page = keys.slice(start, start + 2);
        const more = start + 2 < keys.length;
        return Promise.resolve({
          Contents: page.map((Key) => ({ Key, ETag: etag(Key), Size: objects.get(Key)!.length })),
          IsTruncated: more,
          NextContinuationToken: more ? String(start + 2) : undefined,
        });
      }
      const key = command.input.Key!;
      gets.push(key);
      const bytes = new TextEncoder().encode(objects.get(key)!);
      return Promise.resolve({
        ETag: etag(key),
        Body: { transformToWebStream: () => new Blob([bytes]).stream() },
      });
    },
  } as unknown as S3Reader;
  return { client, gets, etags };
}

Deno.test("syncArchive() downloads new and changed outputs only, and never foreign keys", async () => {
  const root = await Deno.makeTempDir({ prefix: "zipmine-sync-test-" });
  try {
    const report = validatorKey(V, EPOCH, "validation_report.json");
    const metadata = validatorKey(V, EPOCH, "epoch_metadata.json");
    const evidence = validatorKey(V, EPOCH, "evidence/spot_checks.json");
    const objects = new Map([
      [report, '{"a":1}'],
      [metadata, '{"b":2}'],
      [evidence, "[]"],
      ["validators/../escape.json", "x"],
      [`validators/${V}/notes.txt`, "x"],
    ]);
    const { client, gets, etags } = stubBucket(objects);
    const sync = () => syncArchive({ client, bucket: "b", prefix: "validators/", root, concurrency: 2 });

    assertEquals(await sync(), { listed: 3, downloaded: 3, bytes: 16 });
    assertEquals(gets.sort(), [evidence, metadata, report].sort());
    assertEquals(await Deno.readTextFile(join(root, ...report.split("/"))), '{"a":1}');
    assert((await Deno.stat(join(root, SYNC_STATE_FILE))).isFile);

    gets.length = 0;
    assertEquals(await sync(), { listed: 3, downloaded: 0, bytes: 0 });

    // A republished object (new ETag) and a locally deleted one come down again; nothing else does.
    objects.set(report, '{"a":3}');
    etags.set(report, '"changed"');
    await Deno.remove(join(root, ...metadata.split("/")));
    assertEquals((await sync()).downloaded, 2);
    assertEquals(gets.sort(), [metadata, report].sort());
    assertEquals(await Deno.readTextFile(join(root, ...report.split("/"))), '{"a":3}');
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("syncArchive() names the bucket and S3's reason when listing fails", async () => {
  const client = {
    send: () => Promise.reject(Object.assign(new Error("Access Denied"), { name: "AccessDenied" })),
  } as unknown as S3Reader;
  await assertRejects(
    () => syncArchive({ client, bucket: "b", prefix: "validators/", root: "/nonexistent" }),
    SyncError,
    "Cannot list s3://b/validators/: AccessDenied: Access Denied",
  );
});

Deno.test("createS3Reader() sends unsigned requests without credentials and signs with them", async () => {
  const auth: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    auth.push(request.headers.get("authorization"));
    return new Response(
      "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>",
      { headers: { "content-type": "application/xml" } },
    );
  });
  try {
    const endpoint = `http://127.0.0.1:${server.addr.port}`;
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
    for (const options of [{}, { credentials }]) {
      const client = createS3Reader({ endpoint, region: "us-east-1", forcePathStyle: true, ...options });
      await client.send(new ListObjectsV2Command({ Bucket: "b" }));
      client.destroy();
    }
    assertEquals(auth[0], null);
    assertMatch(auth[1] ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  } finally {
    await server.shutdown();
  }
});

const ENDPOINT = Deno.env.get("ZIPMINE_TEST_S3_ENDPOINT") ?? "";

Deno.test({
  name: "deno task query syncs an archive from radosgw and queries it, signed and unsigned",
  ignore: ENDPOINT === "",
  async fn() {
    const credentials = {
      accessKeyId: Deno.env.get("ZIPMINE_TEST_S3_ACCESS_KEY_ID") ?? "",
      secretAccessKey: Deno.env.get("ZIPMINE_TEST_S3_SECRET_ACCESS_KEY") ?? "",
    };
    const region = Deno.env.get("ZIPMINE_TEST_S3_REGION") ?? "us-east-1";
    const s3 = new S3Client({ endpoint: ENDPOINT, region, credentials, forcePathStyle: true });
    const bucket = `zipmine-query-${crypto.randomUUID().slice(0, 8)}`;
    const archive = await Deno.makeTempDir({ prefix: "zipmine-query-archive-" });
    const cache = await Deno.makeTempDir({ prefix: "zipmine-query-cache-" });
    const keys = await writeArchive(archive);
    // Public-read, as a subnet's published outputs are, so the unsigned run can read them too.
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ACL: "public-read" }));
    try {
      for (const key of keys) {
        const body = await Deno.readFile(join(archive, ...key.split("/")));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ACL: "public-read" }));
      }
      const run = async (signed: boolean) => {
        const output = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "validator/query/main.ts",
            "--format",
            "csv",
            "SELECT count(*) AS n FROM listings",
          ],
          cwd: new URL("../../", import.meta.url),
          env: {
            S3_ENDPOINT: ENDPOINT,
            S3_REGION: region,
            S3_FORCE_PATH_STYLE: "true",
            S3_VALIDATOR_BUCKET: bucket,
            // Empty means unset, also over a value inherited from the environment.
            S3_ACCESS_KEY_ID: signed ? credentials.accessKeyId : "",
            S3_SECRET_ACCESS_KEY: signed ? credentials.secretAccessKey : "",
            QUERY_CACHE_DIR: join(cache, signed ? "signed" : "unsigned"),
          },
        }).output();
        const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
        return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
      };
      for (const signed of [true, false]) {
        const first = await run(signed);
        assertEquals([first.code, first.stdout], [0, "n\n12\n"], first.stderr);
        assertMatch(first.stderr, new RegExp(`^Synced ${keys.length} new or changed objects`));
        const second = await run(signed);
        assertEquals([second.code, second.stdout, second.stderr], [0, "n\n12\n", ""]);
      }
    } finally {
      await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
      );
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      s3.destroy();
      await Deno.remove(archive, { recursive: true });
      await Deno.remove(cache, { recursive: true });
    }
  },
});
