// zipmine_miner_uploads_total{outcome}, read by the ZipmineMinerUploadsFailing alert
// (api/alerts/zipmine.rules.yml): one count per file, "failed" only once every attempt is spent.
import { assertEquals, assertMatch, assertRejects } from "../../../tests/assert.ts";
import { createRegistry } from "../../metrics.ts";
import { createUploader, UploadError } from "./presigned_post.ts";

function uploaderAnswering(statuses: [number, string][]) {
  const metrics = createRegistry();
  let calls = 0;
  const uploader = createUploader({
    getCredentials: () =>
      Promise.resolve({
        url: "http://s3.test/bucket",
        fields: { policy: "p" },
        expiry: "2099-01-01T00:00:00Z",
      }),
    fetch: () => {
      const [status, body] = statuses[Math.min(calls++, statuses.length - 1)];
      return Promise.resolve(new Response(body, { status }));
    },
    clock: { now: () => new Date(0) },
    sleep: () => Promise.resolve(),
    attempts: 3,
    metrics,
  });
  const count = (outcome: string) => metrics.counter("zipmine_miner_uploads_total", "").get({ outcome });
  return { uploader, metrics, count, calls: () => calls };
}

Deno.test("both outcome series are exported at 0 before the first upload", () => {
  const { metrics } = uploaderAnswering([[200, ""]]);
  assertMatch(metrics.render(), /^zipmine_miner_uploads_total\{outcome="ok"\} 0$/m);
  assertMatch(metrics.render(), /^zipmine_miner_uploads_total\{outcome="failed"\} 0$/m);
});

Deno.test("a file stored after a retry counts once as ok", async () => {
  const { uploader, count, calls } = uploaderAnswering([[503, "SlowDown"], [200, ""]]);
  await uploader.upload("data/a.parquet", new Uint8Array([1]), 1_000);
  assertEquals([count("ok"), count("failed"), calls()], [1, 0, 2]);
});

Deno.test("a file given up after every attempt, or refused, counts as failed", async () => {
  const spent = uploaderAnswering([[500, "InternalError"]]);
  await assertRejects(() => spent.uploader.upload("data/a.parquet", new Uint8Array([1]), 1_000), UploadError);
  assertEquals([spent.count("ok"), spent.count("failed"), spent.calls()], [0, 1, 3]);

  const refused = uploaderAnswering([[400, "<Code>EntityTooLarge</Code>"]]);
  await assertRejects(
    () => refused.uploader.upload("data/b.parquet", new Uint8Array([1]), 1_000),
    UploadError,
  );
  assertEquals([refused.count("ok"), refused.count("failed"), refused.calls()], [0, 1, 1]);
});

Deno.test("without a registry the uploader counts nothing and works as before", async () => {
  const uploader = createUploader({
    getCredentials: () =>
      Promise.resolve({ url: "http://s3.test/b", fields: {}, expiry: "2099-01-01T00:00:00Z" }),
    fetch: () => Promise.resolve(new Response("", { status: 200 })),
    clock: { now: () => new Date(0) },
    sleep: () => Promise.resolve(),
  });
  await uploader.upload("data/a.parquet", new Uint8Array([1]), 1_000);
});
