// A miner's whole epoch end to end: the real API app assigns a ZIP above the 820-result cap plus two small
// ones, the production crawler scrapes the market simulator through the paced fetch stack (one exit
// blocked a third of the time and rate-limited), the runner writes Parquet, uploads to the fake S3 (held to radosgw's
// behaviour by the presigner conformance suite) and reports COMPLETED. Every listing the simulator holds must arrive, exactly once.
import { DuckDBInstance } from "@duckdb/node-api";
import { assert, assertEquals } from "../assert.ts";
import { createLogger } from "../../shared/log.ts";
import { verifyManifest } from "../../shared/manifest.ts";
import { createRegistry } from "../../shared/metrics.ts";
import { createPrng } from "../../shared/prng.ts";
import { minerManifestKey } from "../../shared/s3_keys.ts";
import { SignedManifestSchema } from "../../shared/schemas/manifest.ts";
import { apiClientOf, createTestApi, syntheticUniverse } from "../harness/api_harness.ts";
import { runEpoch } from "../../miner/epoch_runner.ts";
import { createPacedFetcher } from "../../shared/adapters/fetch/paced_fetcher.ts";
import { timerSleep } from "../../shared/adapters/fetch/sleep.ts";
import { createMarketExit } from "../harness/market_exit.ts";
import { crawlZip } from "../../miner/scrape/crawl_zip.ts";
import { createUploader } from "../../shared/adapters/s3/presigned_post.ts";
import { frozenMarket, inventoryTruth, SIM_BASE } from "../fixtures/listing_site/sim_fetcher.ts";

const ZIPS = [
  { zip: "77001", expected: 1500, city: "Houston", state: "TX", latitude: 29.75, longitude: -95.36 },
  { zip: "77002", expected: 300, city: "Houston", state: "TX", latitude: 29.76, longitude: -95.37 },
  { zip: "77003", expected: 250, city: "Houston", state: "TX", latitude: 29.74, longitude: -95.34 },
];

Deno.test("a miner scrapes every listing of its assignment, uploads, and the manifest verifies", async () => {
  const universe = syntheticUniverse(3).map((z, i) => ({
    ...z,
    zipcode: ZIPS[i].zip,
    state: "TX",
    city: "Houston",
    expectedListings: ZIPS[i].expected,
  }));
  const t = await createTestApi({ universe, env: { TARGET_LISTINGS: "2000", TOLERANCE_PERCENT: "10" } });
  const dir = await Deno.makeTempDir();
  const calm = frozenMarket({ seed: "e2e-market", zips: ZIPS });
  const hostile = frozenMarket({ seed: "e2e-market", zips: ZIPS, blockRate: 0.33, rateLimitPerMinute: 60 });
  const log = createLogger({ sink: () => {}, clock: t.deps.clock });
  const random = createPrng("e2e-jitter");
  const fetcher = createPacedFetcher({
    exits: [createMarketExit("exit-hostile", hostile), createMarketExit("exit-calm", calm)],
    requestsPerMinute: 1_000_000,
    concurrency: 4,
    jitterMs: 0,
    timeoutMs: 30_000,
    retries: 6,
    blockCooldownMs: 20,
    maxConsecutiveBlocks: 100,
    backoffBaseMs: 2,
    backoffCapMs: 10,
    clock: { now: () => new Date() },
    sleep: timerSleep,
    random: random.nextFloat,
    logger: log,
    metrics: createRegistry(),
  });
  try {
    const pair = t.pairs.miner;
    const api = apiClientOf(t, pair);
    const assignment = await api.current();
    assertEquals(assignment.zipcodes.map((z) => z.zipcode).sort(), ZIPS.map((z) => z.zip));
    const uploader = createUploader({
      getCredentials: () => api.folderAccess(pair.address),
      fetch: t.presigner.fetch,
      clock: t.deps.clock,
      sleep: () => Promise.resolve(),
    });
    const outcome = await runEpoch(assignment, {
      api,
      scrapeZip: async (zip, ctx) =>
        (await crawlZip(zip, {
          fetcher,
          baseUrl: SIM_BASE,
          detail: { percent: 5 },
          clock: t.deps.clock,
          ...ctx,
        }))
          .records,
      upload: uploader.upload,
      pair,
      stateDir: dir,
      clock: t.deps.clock,
      log,
      zipConcurrency: 2,
      uploadEarly: true,
    });
    assertEquals(outcome.status, "completed");
    const hostileStats = fetcher.stats().exits.find((e) => e.name === "exit-hostile")!;
    assert(hostileStats.outcomes.blocked > 0, "the hostile exit blocked some requests");
    assert(hostileStats.outcomes.rate_limited > 0, "the hostile exit answered 429 too");

    const manifestObject = t.presigner.getObject(
      t.config.S3_BUCKET,
      minerManifestKey(pair.address, assignment.epochId),
    )!;
    const manifest = SignedManifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestObject.body)));
    assert(verifyManifest(manifest));
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      for (const { zip } of ZIPS) {
        const file = manifest.manifest.files.find((f) => f.zipcode === zip)!;
        const path = `${dir}/check-${zip}.parquet`;
        await Deno.writeFile(path, t.presigner.getObject(t.config.S3_BUCKET, file.key)!.body);
        const rows = (await connection.runAndReadAll(
          `SELECT zpid, nonce, zipcode FROM read_parquet('${path}')`,
        )).getRowObjectsJson() as { zpid: string; nonce: string; zipcode: string }[];
        const truth = (await inventoryTruth(calm, zip)).listings.map((l) => l.zpid).sort();
        assertEquals(rows.map((r) => r.zpid).sort(), truth, `ZIP ${zip}: exactly the simulator's listings`);
        assertEquals(new Set(rows.map((r) => r.nonce)), new Set([assignment.nonce]));
        assertEquals(file.rows, truth.length);
        if (zip === "77001") assert(truth.length > 820, "the big ZIP is above the result cap");
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    fetcher.close();
    t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
