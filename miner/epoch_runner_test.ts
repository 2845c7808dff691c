// The miner's epoch lifecycle against the real API app and the fake S3: scrape, write, upload, manifest,
// COMPLETED; crash and resume; S3 failing then recovering; the deadline.
import { assert, assertEquals } from "../tests/assert.ts";
import { verifyManifest } from "../shared/manifest.ts";
import { minerManifestKey, minerPartManifestKey } from "../shared/s3_keys.ts";
import { SignedManifestSchema } from "../shared/schemas/manifest.ts";
import { createLogger } from "../shared/log.ts";
import { apiClientOf, createTestApi, type TestApi } from "../tests/harness/api_harness.ts";
import { sampleListing } from "../tests/fixtures/listings.ts";
import { runEpoch, type ZipScraper } from "./epoch_runner.ts";
import { createUploader } from "../shared/adapters/s3/presigned_post.ts";
import { createHash } from "node:crypto";

const ROWS_PER_ZIP = 7;

function scraperCounting(calls: string[], options: { crashAfter?: number; now: () => string }): ZipScraper {
  return (zipcode, ctx) => {
    if (options.crashAfter !== undefined && calls.length >= options.crashAfter) {
      throw { crash: "simulated kill" }; // not an Error: the runner does not swallow it, like a process kill
    }
    calls.push(zipcode);
    return Promise.resolve(
      Array.from({ length: ROWS_PER_ZIP }, (_, i) =>
        sampleListing(Number(zipcode) * 100 + i, {
          epochId: ctx.epochId,
          nonce: ctx.nonce,
          minerHotkey: ctx.minerHotkey,
          zipcode,
          scrapedAt: options.now(),
        })),
    );
  };
}

async function setup(t: TestApi, stateDir: string, fetchS3: typeof fetch = t.presigner.fetch) {
  const pair = t.pairs.miner;
  const api = apiClientOf(t, pair);
  const assignment = await api.current();
  const uploader = createUploader({
    getCredentials: () => api.folderAccess(pair.address),
    fetch: fetchS3,
    clock: t.deps.clock,
    sleep: () => Promise.resolve(),
  });
  const deps = (scrapeZip: ZipScraper) => ({
    api,
    scrapeZip,
    upload: uploader.upload,
    pair,
    stateDir,
    clock: t.deps.clock,
    log: createLogger({ sink: () => {}, clock: t.deps.clock }),
    zipConcurrency: 2,
    uploadEarly: false,
  });
  return { api, assignment, deps };
}

function s3Keys(t: TestApi): string[] {
  return t.presigner.keys(t.config.S3_BUCKET);
}

Deno.test("runEpoch() scrapes, uploads every ZIP and a signed manifest, and earns the receipt", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    const { assignment, deps } = await setup(t, dir);
    const calls: string[] = [];
    const outcome = await runEpoch(
      assignment,
      deps(scraperCounting(calls, { now: () => t.deps.clock.now().toISOString() })),
    );
    const zips = assignment.zipcodes.length;
    assertEquals(outcome, {
      epochId: assignment.epochId,
      status: "completed",
      zipsScraped: zips,
      zipsAssigned: zips,
      rows: zips * ROWS_PER_ZIP,
    });
    assertEquals(s3Keys(t).length, zips + 1);
    const stored = t.presigner.getObject(
      t.config.S3_BUCKET,
      minerManifestKey(t.pairs.miner.address, assignment.epochId),
    )!;
    const manifest = SignedManifestSchema.parse(JSON.parse(new TextDecoder().decode(stored.body)));
    assert(verifyManifest(manifest));
    assertEquals(manifest.manifest.total_rows, zips * ROWS_PER_ZIP);
    for (const file of manifest.manifest.files) {
      const object = t.presigner.getObject(t.config.S3_BUCKET, file.key)!;
      assertEquals(createHash("sha256").update(object.body).digest("hex"), file.sha256);
    }
    assertEquals(
      (await runEpoch(assignment, deps(scraperCounting([], { now: () => "" })))).status,
      "already_completed",
    );
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runEpoch() resumes after a kill without re-scraping or duplicating ZIPs", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    const { assignment, deps } = await setup(t, dir);
    const first: string[] = [];
    const now = () => t.deps.clock.now().toISOString();
    const killed = await runEpoch(assignment, {
      ...deps(scraperCounting(first, { crashAfter: 5, now })),
      zipConcurrency: 1,
    })
      .then(() => false, (error) => "crash" in error);
    assert(killed, "the simulated kill stopped the run");
    assertEquals(first.length, 5);
    const second: string[] = [];
    const outcome = await runEpoch(assignment, deps(scraperCounting(second, { now })));
    assertEquals(outcome.status, "completed");
    assertEquals(second.length, assignment.zipcodes.length - 5, "finished ZIPs were not scraped again");
    assertEquals(new Set([...first, ...second]).size, assignment.zipcodes.length);
    assertEquals(s3Keys(t).length, assignment.zipcodes.length + 1);
    assertEquals(outcome.rows, assignment.zipcodes.length * ROWS_PER_ZIP);
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runEpoch() retries uploads while S3 fails and completes once it recovers", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    let failures = 0;
    const flaky: typeof fetch = (input, init) => {
      if (init?.method === "POST" && failures < 4) {
        failures++;
        return Promise.resolve(new Response("SlowDown", { status: 503 }));
      }
      return t.presigner.fetch(input, init);
    };
    const { assignment, deps } = await setup(t, dir, flaky);
    const outcome = await runEpoch(
      assignment,
      deps(scraperCounting([], { now: () => t.deps.clock.now().toISOString() })),
    );
    assertEquals(outcome.status, "completed");
    assertEquals(failures, 4);
    assertEquals(s3Keys(t).length, assignment.zipcodes.length + 1);
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runEpoch() uploads nothing after the deadline", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    const { assignment, deps } = await setup(t, dir);
    // Each ZIP takes an hour of clock time, so only a few fit before the deadline's reserve.
    const slow: ZipScraper = async (zip, ctx) => {
      await t.advance(60 * 60_000);
      return await scraperCounting([], { now: () => t.deps.clock.now().toISOString() })(zip, ctx);
    };
    const outcome = await runEpoch(assignment, { ...deps(slow), zipConcurrency: 1 });
    assert(outcome.zipsScraped < assignment.zipcodes.length);
    const deadline = Date.parse(assignment.submissionDeadline);
    for (const key of s3Keys(t)) {
      assert(
        t.presigner.getObject(t.config.S3_BUCKET, key)!.lastModified.getTime() < deadline,
        `${key} after deadline`,
      );
    }
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runEpoch() retries COMPLETED while the API is unreachable and keeps the receipt once it is back", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    const { assignment, deps, api } = await setup(t, dir);
    let refusals = 0;
    const flakyApi = {
      status: (input: Parameters<typeof api.status>[0]) => {
        if (input.status === "COMPLETED" && refusals < 3) {
          refusals++;
          return Promise.reject(new TypeError("error sending request: connection refused"));
        }
        return api.status(input);
      },
    };
    const outcome = await runEpoch(assignment, {
      ...deps(scraperCounting([], { now: () => t.deps.clock.now().toISOString() })),
      api: flakyApi,
      sleep: (ms) => t.advance(ms),
    });
    assertEquals([outcome.status, refusals], ["completed", 3]);
    const state = JSON.parse(await Deno.readTextFile(`${dir}/epochs/${assignment.epochId}/completed.json`));
    assert(state.receipt.receivedAt > assignment.epochStart);
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runEpoch() with UPLOAD_EARLY submits parts with their own receipts, then the whole manifest", async () => {
  const t = await createTestApi();
  const dir = await Deno.makeTempDir();
  try {
    const { assignment, deps } = await setup(t, dir);
    const zips = assignment.zipcodes.length;
    assert(zips >= 5, `enough ZIPs for a part (${zips})`);
    const outcome = await runEpoch(assignment, {
      ...deps(scraperCounting([], { now: () => t.deps.clock.now().toISOString() })),
      zipConcurrency: 1,
      uploadEarly: true,
    });
    assertEquals(outcome.status, "completed");
    const miner = t.pairs.miner.address;
    const parts = s3Keys(t).filter((k) => k.includes("/parts/"));
    assertEquals(
      parts,
      [0, 1].slice(0, Math.floor(zips / 5)).map((i) => minerPartManifestKey(miner, assignment.epochId, i)),
    );
    const part0 = SignedManifestSchema.parse(
      JSON.parse(new TextDecoder().decode(t.presigner.getObject(t.config.S3_BUCKET, parts[0])!.body)),
    );
    assert(verifyManifest(part0));
    assertEquals(part0.manifest.files.length, 5);
    await t.advance(3.4 * 3600_000);
    const validator = apiClientOf(t, t.pairs.validator);
    const receipts = await validator.submissions(assignment.epochId);
    assertEquals(receipts.submissions.map((r) => r.manifestKey), [
      minerManifestKey(miner, assignment.epochId),
    ]);
    assertEquals(receipts.history.map((r) => r.manifestKey).sort(), parts);
  } finally {
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
