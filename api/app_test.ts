// Every endpoint's happy path, signed exactly as the RESI Python clients sign (see tests/harness/api_harness.ts).
import { assert, assertEquals, assertMatch } from "../tests/assert.ts";
import { verifySeed } from "../shared/epoch_secrets.ts";
import { minerDataKey, minerManifestKey, minerPartManifestKey } from "../shared/s3_keys.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { AssignmentResponseSchema, StatsResponseSchema } from "../shared/schemas/zipcode_assignments.ts";
import { FolderAccessResponseSchema, ValidatorAccessResponseSchema } from "../shared/schemas/s3_access.ts";
import { HealthResponseSchema } from "../shared/schemas/health.ts";
import { verifySignedAssignment } from "../shared/assignment_signature.ts";
import { createTestApi } from "../tests/harness/api_harness.ts";

const EPOCH = "2025-10-01T16-00-00";

Deno.test("GET /current returns the plan with nonce, deadline and a target-band ZIP set", async () => {
  const t = await createTestApi();
  try {
    const { res, body } = await t.current();
    assertEquals(res.status, 200);
    const plan = AssignmentResponseSchema.parse(body);
    assertEquals(plan.epochId, EPOCH);
    assertEquals(plan.epochStart, "2025-10-01T16:00:00.000Z");
    assertEquals(plan.epochEnd, "2025-10-01T20:00:00.000Z");
    assertEquals(plan.submissionDeadline, "2025-10-01T19:45:00.000Z");
    assertMatch(plan.nonce, /^[0-9a-f]{32}$/);
    const total = plan.zipcodes.reduce((a, z) => a + z.expectedListings, 0);
    assertEquals(total, plan.metadata.totalExpectedListings);
    assert(total >= 9000 && total <= 11000, `total ${total} outside 10000 +- 10%`);
    assert(plan.zipcodes.every((z) => z.expectedListings >= 200 && z.expectedListings <= 3000));
    assertEquals(res.headers.get("X-RateLimit-Limit"), "30");
    assertEquals(res.headers.get("X-RateLimit-Remaining"), "29");
  } finally {
    t.close();
  }
});

Deno.test("GET /current accepts 0x-prefixed signatures as the live API does", async () => {
  const t = await createTestApi();
  try {
    const sig = `0x${t.sign(t.pairs.miner, "currentAssignment", { timestamp: t.nowS() })}`;
    const res = await t.signedGet("/api/v1/zipcode-assignments/current", t.pairs.miner, sig);
    assertEquals(res.status, 200);
    await res.body?.cancel();
  } finally {
    t.close();
  }
});

Deno.test("GET /stats is public and never shows the nonce or the sampling seed", async () => {
  const t = await createTestApi();
  try {
    const { body: plan } = await t.current();
    const res = await t.app.request("/api/v1/zipcode-assignments/stats");
    const text = await res.text();
    assertEquals(res.status, 200);
    const stats = StatsResponseSchema.parse(JSON.parse(text));
    assertEquals(stats.epochStatus.currentEpoch?.id, EPOCH);
    assertEquals(stats.epochStatus.timing.timeUntilEpochEnd, 3.5 * 3600);
    assertEquals(stats.zipcodeStatistics.totalZipcodes, 400);
    assert(!text.includes(plan.nonce), "stats leaks the nonce");
    const plans = await t.planner.find(EPOCH);
    assert(!text.includes(plans!.samplingSeed), "stats leaks the sampling seed");
  } finally {
    t.close();
  }
});

Deno.test("POST /status records progress, and the first COMPLETED earns the server-timed receipt", async () => {
  const t = await createTestApi();
  try {
    const { body: plan } = await t.current();
    const status = (state: string, extra: Record<string, unknown> = {}) =>
      t.postJson("/api/v1/zipcode-assignments/status", {
        hotkey: t.pairs.miner.address,
        signature: t.sign(t.pairs.miner, "status", { epochId: EPOCH, timestamp: t.nowS() }),
        timestamp: t.nowS(),
        epochId: EPOCH,
        nonce: plan.nonce,
        status: state,
        ...extra,
      });
    const progress = await status("IN_PROGRESS", { listingsScraped: 120, zipcodesCompleted: [] });
    assertEquals(progress.status, 200);
    assertEquals((await progress.json()).message, "Miner status updated successfully");

    await t.advance(60_000);
    const completed = (manifest: string, manifestKey?: string) =>
      t.postCompleted(t.pairs.miner, { epochId: EPOCH, nonce: plan.nonce, manifest, manifestKey });
    const first = await (await completed("part-a")).json();
    assertEquals(first.receipt, {
      hotkey: t.pairs.miner.address,
      epochId: EPOCH,
      manifestKey: minerManifestKey(t.pairs.miner.address, EPOCH),
      manifestSha256: sha256Hex("part-a"),
      receivedAt: "2025-10-01T16:31:00.000Z",
    });
    await t.advance(60_000);
    const again = await (await completed("part-a-rewritten")).json();
    assertEquals(again.receipt.manifestSha256, sha256Hex("part-a"), "the first COMPLETED of a part wins");
    const part = await (await completed("part-b", minerPartManifestKey(t.pairs.miner.address, EPOCH, 1)))
      .json();
    assertEquals(part.receipt.receivedAt, "2025-10-01T16:32:00.000Z", "another part earns its own receipt");

    const subs = await t.signedGet(
      `/api/v1/zipcode-assignments/epoch/${EPOCH}/submissions`,
      t.pairs.validator,
      t.sign(t.pairs.validator, "epochSubmissions", { epochId: EPOCH, timestamp: t.nowS() }),
    );
    const listed = await subs.json();
    assertEquals(listed.submissions.map((r: { manifestSha256: string }) => r.manifestSha256), [
      sha256Hex("part-a"),
    ]);
    assertEquals(listed.history.map((r: { manifestSha256: string }) => r.manifestSha256), [
      sha256Hex("part-b"),
    ]);
  } finally {
    t.close();
  }
});

Deno.test("POST /status accepts the legacy miner:status commitment and snake_case fields", async () => {
  const t = await createTestApi();
  try {
    const { body: plan } = await t.current();
    const res = await t.postJson("/api/v1/zipcode-assignments/status", {
      hotkey: t.pairs.miner.address,
      signature: t.sign(t.pairs.miner, "legacyStatus", {
        hotkey: t.pairs.miner.address,
        epochId: EPOCH,
        timestamp: t.nowS(),
      }),
      timestamp: t.nowS(),
      epoch_id: EPOCH,
      nonce: plan.nonce,
      status: "in_progress",
      listings_scraped: 3,
    });
    assertEquals(res.status, 200);
    assertEquals((await res.json()).status, "IN_PROGRESS");
  } finally {
    t.close();
  }
});

Deno.test("GET /epoch/{id} and /seed serve validators; the seed appears only after the deadline", async () => {
  const t = await createTestApi();
  try {
    const { body: minerView } = await t.current();
    const get = (suffix: string, kind: "epochAssignment" | "epochSeed") =>
      t.signedGet(
        `/api/v1/zipcode-assignments/epoch/${EPOCH}${suffix}`,
        t.pairs.validator,
        t.sign(t.pairs.validator, kind, { epochId: EPOCH, timestamp: t.nowS() }),
      );
    const epoch = await get("", "epochAssignment");
    assertEquals((await epoch.json()).zipcodes, minerView.zipcodes);
    const early = await get("/seed", "epochSeed");
    assertEquals(early.status, 403);
    assertMatch((await early.json()).detail, /revealed after the deadline/);
    await t.advance(3.25 * 3600_000); // 19:45, the deadline
    const seed = await (await get("/seed", "epochSeed")).json();
    assertEquals(seed.seedCommitment, minerView.seedCommitment);
    assert(verifySeed(seed.seed, minerView.seedCommitment));
  } finally {
    t.close();
  }
});

Deno.test("POST /validated-counts recalibrates expected counts within the step bound", async () => {
  const t = await createTestApi();
  try {
    const { body: plan } = await t.current();
    const zip = plan.zipcodes[0];
    await t.advance(4 * 3600_000); // the epoch has ended
    const res = await t.postJson(`/api/v1/zipcode-assignments/epoch/${EPOCH}/validated-counts`, {
      hotkey: t.pairs.validator.address,
      signature: t.sign(t.pairs.validator, "validatedCounts", { epochId: EPOCH, timestamp: t.nowS() }),
      timestamp: t.nowS(),
      counts: [{ zipcode: zip.zipcode, validatedListings: zip.expectedListings * 3 }],
    });
    assertEquals(res.status, 200);
    const body = await res.json();
    // The median report is 3x the estimate; one epoch may move it by at most 25 % (rounded down).
    assertEquals(
      body.expectedListings[zip.zipcode],
      zip.expectedListings + Math.floor(zip.expectedListings / 4),
    );
  } finally {
    t.close();
  }
});

Deno.test("POST /get-folder-access gives a POST policy that stores only in the miner's running epoch", async () => {
  const t = await createTestApi();
  try {
    const res = await t.postJson("/get-folder-access", {
      coldkey: t.pairs.miner.address,
      hotkey: t.pairs.miner.address,
      timestamp: t.nowS(),
      expiry: t.nowS() + 86400,
      signature: t.sign(t.pairs.miner, "folderAccess", {
        coldkey: t.pairs.miner.address,
        hotkey: t.pairs.miner.address,
        timestamp: t.nowS(),
      }),
    });
    assertEquals(res.status, 200);
    const creds = FolderAccessResponseSchema.parse(await res.json());
    assertEquals(creds.folder, `data/hotkey=${t.pairs.miner.address}/epoch=${EPOCH}/`);
    assertEquals(
      creds.expiry,
      "2025-10-01T17:30:00.000Z",
      "PRESIGN_POST_SECONDS (1 h) is before the deadline",
    );
    assertEquals(creds.fields.key, `${creds.folder}\${filename}`);
    assertEquals(creds.uploadUrl, creds.url);
    const upload = async (key: string) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...creds.fields, key })) form.append(k, v);
      form.append("file", new Blob(["parquet bytes"]), "x.parquet");
      const r = await t.presigner.fetch(creds.url, { method: "POST", body: form });
      await r.body?.cancel();
      return r.status;
    };
    const own = minerDataKey(t.pairs.miner.address, EPOCH, "15000", "part-0.parquet");
    assertEquals(await upload(own), 204);
    assertEquals(await upload(minerManifestKey(t.pairs.miner2.address, EPOCH)), 403);
    assertEquals(await upload(minerManifestKey(t.pairs.miner.address, "2025-10-01T20-00-00")), 403);
    assertEquals(t.presigner.keys(t.config.S3_BUCKET), [own]);
  } finally {
    t.close();
  }
});

Deno.test("validator S3 routes: global lists, per-miner pages with continuation, presigned GETs", async () => {
  const t = await createTestApi();
  try {
    const miner = t.pairs.miner.address;
    const keys = Array.from(
      { length: 5 },
      (_, i) => minerDataKey(miner, EPOCH, String(15000 + i), "part-0.parquet"),
    );
    keys.forEach((k) => t.presigner.putObject(t.config.S3_BUCKET, k, `data ${k}`));
    await t.advance(3.4 * 3600_000); // 19:54: past EPOCH's deadline, its files are readable
    const v = t.pairs.validator;
    const access = await t.postJson("/get-validator-access", {
      hotkey: v.address,
      timestamp: t.nowS(),
      signature: t.sign(v, "validatorAccess", { timestamp: t.nowS() }),
      coldkey: v.address,
    });
    const urls = ValidatorAccessResponseSchema.parse(await access.json());
    const global = await (await t.presigner.fetch(urls.urls.global.list_all_data)).text();
    assertMatch(global, /<KeyCount>1<\/KeyCount>/, "the global listing shows folders only");
    assert(!global.includes("<Key>"), "no file key is listed across epochs");

    const specific = await t.postJson("/get-miner-specific-access", {
      hotkey: v.address,
      timestamp: t.nowS(),
      miner_hotkey: miner,
      signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
    });
    assertEquals(specific.status, 200);
    await specific.body?.cancel();

    // The page URL is signed per page; follow continuation tokens through the API.
    let token: string | undefined;
    const seen: string[] = [];
    do {
      await t.advance(1000);
      const page = await t.postJson("/api/v1/s3-access/miner-list", {
        hotkey: v.address,
        timestamp: t.nowS(),
        miner_hotkey: miner,
        epoch_id: EPOCH,
        ...(token ? { continuation_token: token } : {}),
        signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
      });
      const xml = await (await t.presigner.fetch((await page.json()).list_url)).text();
      seen.push(...[...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]));
      token = /<NextContinuationToken>([^<]+)</.exec(xml)?.[1];
    } while (token);
    assertEquals(seen, keys);

    const files = await t.postJson("/api/v1/s3-access/file-urls", {
      hotkey: v.address,
      timestamp: t.nowS(),
      miner_hotkey: miner,
      file_keys: keys.slice(0, 2),
      signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
    });
    const fileUrls = (await files.json()).file_urls;
    assertEquals(await (await t.presigner.fetch(fileUrls[keys[1]].presigned_url)).text(), `data ${keys[1]}`);
  } finally {
    t.close();
  }
});

Deno.test("POST /validator-upload confines the validator to validators/{hotkey}/epoch={id}/", async () => {
  const t = await createTestApi();
  try {
    await t.current();
    await t.advance(3.6 * 3600_000); // 20:06: EPOCH's validation window
    const v = t.pairs.validator;
    const res = await t.postJson("/api/v1/s3-access/validator-upload", {
      hotkey: v.address,
      timestamp: t.nowS(),
      epochId: EPOCH,
      purpose: "epoch_validation_results",
      signature: t.sign(v, "validatorUpload", { timestamp: t.nowS() }),
    });
    const body = await res.json();
    assertEquals(body.folder, `validators/${v.address}/epoch=${EPOCH}/`);
    assertEquals(body.fields.key, `${body.folder}\${filename}`);
  } finally {
    t.close();
  }
});

Deno.test("system routes: health, metrics, OpenAPI, docs and commitment formats", async () => {
  const t = await createTestApi();
  try {
    await t.current();
    const health = await t.app.request("/healthcheck");
    assertEquals(health.status, 200);
    const h = HealthResponseSchema.parse(await health.json());
    assertEquals([h.status, h.currentEpoch?.id, h.service], ["ok", EPOCH, "zipmine-api"]);
    const metrics = await (await t.app.request("/metrics")).text();
    assertMatch(
      metrics,
      /zipmine_api_requests_total\{method="GET",route="\/api\/v1\/zipcode-assignments\/current",status="200"\} 1/,
    );
    const doc = await (await t.app.request("/openapi.json")).json();
    assert(doc.paths["/api/v1/zipcode-assignments/epoch/{epochId}/seed"].get);
    assertMatch(await (await t.app.request("/docs")).text(), /zipcode:status:\{epochId\}:\{timestamp\}/);
    const formats = await (await t.app.request("/commitment-formats")).json();
    assertEquals(formats.formats.currentAssignment, "zipcode:assignment:current:{timestamp}");
  } finally {
    t.close();
  }
});

Deno.test("validators read each other's published outputs through presigned list and GET URLs", async () => {
  const t = await createTestApi();
  try {
    await t.current();
    const v = t.pairs.validator;
    const key = `validators/${v.address}/epoch=${EPOCH}/evidence/spot_checks.json`;
    t.presigner.putObject(t.config.S3_VALIDATOR_BUCKET, key, "[]");
    const list = await t.postJson("/api/v1/s3-access/validator-outputs-list", {
      hotkey: v.address,
      timestamp: t.nowS(),
      validator_hotkey: v.address,
      epoch_id: EPOCH,
      signature: t.sign(v, "validatorOutputs", { validatorHotkey: v.address, timestamp: t.nowS() }),
    });
    const xml = await (await t.presigner.fetch((await list.json()).list_url)).text();
    assertMatch(xml, /evidence\/spot_checks\.json/);
    await t.advance(1000);
    const files = await t.postJson("/api/v1/s3-access/validator-outputs-files", {
      hotkey: v.address,
      timestamp: t.nowS(),
      validator_hotkey: v.address,
      file_keys: [key],
      signature: t.sign(v, "validatorOutputs", { validatorHotkey: v.address, timestamp: t.nowS() }),
    });
    const url = (await files.json()).file_urls[key].presigned_url;
    assertEquals(await (await t.presigner.fetch(url)).text(), "[]");
  } finally {
    t.close();
  }
});

Deno.test("GET /current is signed by the key GET /api/v1/public-key publishes", async () => {
  const t = await createTestApi();
  try {
    const { body } = await t.current();
    const { apiHotkey } = await (await t.app.request("/api/v1/public-key")).json();
    assertEquals(body.apiHotkey, apiHotkey);
    const { apiSignature, apiHotkey: _k, ...assignment } = body;
    const verdict = verifySignedAssignment({ assignment, apiSignature, apiHotkey }, {
      apiHotkeys: [apiHotkey],
    });
    assertEquals(verdict.ok, true);
    const forged = verifySignedAssignment(
      { assignment: { ...assignment, nonce: "f".repeat(32) }, apiSignature, apiHotkey },
      { apiHotkeys: [apiHotkey] },
    );
    assertEquals(forged.ok, false);
  } finally {
    t.close();
  }
});
