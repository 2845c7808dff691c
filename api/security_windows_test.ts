// The attack catalogue, part 2: time. Every credential, receipt and record names its epoch and is issued
// only inside that epoch's window (shared/epoch_windows.ts). Each case asserts the status AND that nothing
// was stored, issued or changed. Part 1 (authentication, inputs, limits) is security_test.ts.
import { assert, assertEquals, assertMatch } from "../tests/assert.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import {
  minerDataKey,
  minerEpochPrefix,
  minerManifestKey,
  minerPartManifestKey,
  validatorKey,
} from "../shared/s3_keys.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { createTestApi, type TestApi } from "../tests/harness/api_harness.ts";
import { kvKeys } from "./stores/kv_keys.ts";

const N = "2025-10-01T16-00-00"; // 16:00-20:00, deadline 19:45; the harness clock starts at 16:30
const NEXT = "2025-10-01T20-00-00";

async function expectError(res: Response, status: number, detail: RegExp): Promise<void> {
  const body = await res.json();
  assertEquals(res.status, status, JSON.stringify(body));
  assertMatch(body.detail, detail);
}

async function withApi(fn: (t: TestApi) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const t = await createTestApi({ env, extraValidators: ["//zipmine/validator/2", "//zipmine/validator/3"] });
  try {
    await fn(t);
  } finally {
    t.close();
  }
}

/** Moves the clock to `iso` (later than now), refreshing the metagraph as the cron does. */
async function at(t: TestApi, iso: string): Promise<void> {
  const target = Date.parse(iso);
  assert(target >= t.deps.clock.now().getTime(), `the clock only moves forward (to ${iso})`);
  await t.advance(target - t.deps.clock.now().getTime());
}

function folderAccess(t: TestApi, pair: KeyringPair, coldkey = pair.address): Promise<Response> {
  return t.postJson("/get-folder-access", {
    coldkey,
    hotkey: pair.address,
    timestamp: t.nowS(),
    signature: t.sign(pair, "folderAccess", { coldkey, hotkey: pair.address, timestamp: t.nowS() }),
  });
}

function minerList(t: TestApi, epochId?: string, v = t.pairs.validator): Promise<Response> {
  const miner = t.pairs.miner.address;
  return t.postJson("/api/v1/s3-access/miner-list", {
    hotkey: v.address,
    timestamp: t.nowS(),
    miner_hotkey: miner,
    ...(epochId ? { epoch_id: epochId } : {}),
    signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
  });
}

function fileUrls(t: TestApi, keys: string[]): Promise<Response> {
  const v = t.pairs.validator;
  const miner = t.pairs.miner.address;
  return t.postJson("/api/v1/s3-access/file-urls", {
    hotkey: v.address,
    timestamp: t.nowS(),
    miner_hotkey: miner,
    file_keys: keys,
    signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
  });
}

function validatorUpload(t: TestApi, epochId: string, file?: string): Promise<Response> {
  const v = t.pairs.validator;
  return t.postJson("/api/v1/s3-access/validator-upload", {
    hotkey: v.address,
    timestamp: t.nowS(),
    epochId,
    ...(file ? { file } : {}),
    signature: t.sign(v, "validatorUpload", { timestamp: t.nowS() }),
  });
}

/** Posts a form to a presigned POST; returns the S3 status. */
async function postForm(t: TestApi, creds: { url: string; fields: Record<string, string> }, key: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...creds.fields, key })) form.append(k, v);
  form.append("file", new Blob(["bytes"]), key.slice(key.lastIndexOf("/") + 1));
  const res = await t.presigner.fetch(creds.url, { method: "POST", body: form });
  await res.body?.cancel();
  return res.status;
}

async function countEntries(t: TestApi, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of t.kv.list({ prefix })) n++;
  return n;
}

Deno.test("a validator cannot list or download the running epoch's files (copy-the-fastest attack)", () =>
  withApi(async (t) => {
    const key = minerDataKey(t.pairs.miner.address, N, "15000", "listings.parquet");
    t.presigner.putObject(t.config.S3_BUCKET, key, "honest bytes");
    const issued = t.presigner.keys(t.config.S3_BUCKET).length;
    await expectError(await minerList(t, N), 403, /validator reads .* open at 2025-10-01T19:45:00/);
    await t.advance(1000);
    await expectError(await fileUrls(t, [key]), 403, /open at 2025-10-01T19:45:00/);
    await t.advance(1000);
    // A batch mixing an ended epoch's key with a running one's is refused whole.
    const old = minerDataKey(t.pairs.miner.address, "2025-10-01T12-00-00", "15000", "a.parquet");
    await expectError(await fileUrls(t, [old, key]), 403, /epoch 2025-10-01T16-00-00/);
    // Without an epoch the listing shows folder names, never a file.
    await t.advance(1000);
    const folders = await minerList(t);
    assertEquals(folders.status, 200);
    const xml = await (await t.presigner.fetch((await folders.json()).list_url)).text();
    assert(!xml.includes("listings.parquet"), "no file of the running epoch is listed");
    assertMatch(xml, new RegExp(`<Prefix>${minerEpochPrefix(t.pairs.miner.address, N)}</Prefix>`));
    assertEquals(t.presigner.keys(t.config.S3_BUCKET).length, issued, "nothing was stored");
    // After the deadline the same requests succeed.
    await at(t, "2025-10-01T19:45:00Z");
    assertEquals((await fileUrls(t, [key])).status, 200);
  }));

Deno.test("a miner's POST policy covers only the running epoch and ends at its deadline", () =>
  withApi(async (t) => {
    await at(t, "2025-10-01T19:30:00Z");
    const res = await folderAccess(t, t.pairs.miner);
    assertEquals(res.status, 200);
    const creds = await res.json();
    assertEquals(
      creds.expiry,
      "2025-10-01T19:45:00.000Z",
      "capped at the deadline, not PRESIGN_POST_SECONDS",
    );
    const own = minerDataKey(t.pairs.miner.address, N, "15000", "a.parquet");
    const future = minerDataKey(t.pairs.miner.address, NEXT, "15000", "a.parquet");
    const past = minerDataKey(t.pairs.miner.address, "2025-10-01T12-00-00", "15000", "a.parquet");
    assertEquals(await postForm(t, creds, future), 403, "cannot pre-stage the next epoch");
    assertEquals(await postForm(t, creds, past), 403, "cannot rewrite an ended epoch");
    await at(t, "2025-10-01T19:45:01Z");
    assertEquals(await postForm(t, creds, own), 403, "the policy expired at the deadline");
    assertEquals(t.presigner.keys(t.config.S3_BUCKET), [], "nothing was stored");
    await expectError(
      await folderAccess(t, t.pairs.miner),
      403,
      /miner uploads .* closed at 2025-10-01T19:45/,
    );
  }));

Deno.test("COMPLETED after the deadline or for an ended epoch earns no receipt and stores nothing", () =>
  withApi(async (t) => {
    const { body: plan } = await t.current();
    await at(t, "2025-10-01T19:45:00Z");
    await expectError(
      await t.postCompleted(t.pairs.miner, { epochId: N, nonce: plan.nonce }),
      403,
      /submission receipts .* closed at 2025-10-01T19:45:00/,
    );
    await at(t, "2025-10-02T00:00:00Z"); // 4 h after N ended
    for (let i = 0; i < 5; i++) {
      await t.advance(1000);
      const res = await t.postCompleted(t.pairs.miner, { epochId: N, nonce: plan.nonce });
      assertEquals(res.status, 403);
      await res.body?.cancel();
    }
    assertEquals(await countEntries(t, kvKeys.receipts(N)), 0);
    assertEquals(await countEntries(t, kvKeys.minerStatuses(N)), 0, "not even a status was recorded");
  }));

Deno.test("a receipt never predates its upload: missing or different manifests are refused", () =>
  withApi(async (t) => {
    const { body: plan } = await t.current();
    await expectError(
      await t.postCompleted(t.pairs.miner, { epochId: N, nonce: plan.nonce, upload: false }),
      409,
      /No manifest at .*manifest\.json/,
    );
    const key = minerManifestKey(t.pairs.miner.address, N);
    t.presigner.putObject(t.config.S3_BUCKET, key, "the real manifest");
    await t.advance(1000);
    await expectError(
      await t.postCompleted(t.pairs.miner, {
        epochId: N,
        nonce: plan.nonce,
        manifest: "other",
        upload: false,
      }),
      409,
      /does not have SHA-256/,
    );
    await t.advance(1000);
    const other = minerManifestKey(t.pairs.miner2.address, N);
    await expectError(
      await t.postCompleted(t.pairs.miner, { epochId: N, nonce: plan.nonce, manifestKey: other }),
      400,
      /belongs to/,
    );
    assertEquals(await countEntries(t, kvKeys.receipts(N)), 0);
    await t.advance(1000);
    const ok = await t.postCompleted(t.pairs.miner, {
      epochId: N,
      nonce: plan.nonce,
      manifest: "the real manifest",
    });
    assertEquals((await ok.json()).receipt.manifestSha256, sha256Hex("the real manifest"));
  }));

Deno.test("a COMPLETED signature binds the status and the hash: a seen signature cannot carry a bogus hash", () =>
  withApi(async (t) => {
    const { body: plan } = await t.current();
    const key = minerManifestKey(t.pairs.miner.address, N);
    t.presigner.putObject(t.config.S3_BUCKET, key, "bogus");
    const body = {
      hotkey: t.pairs.miner.address,
      timestamp: t.nowS(),
      epochId: N,
      nonce: plan.nonce,
      status: "COMPLETED",
      manifestSha256: sha256Hex("bogus"),
    };
    // An observed IN_PROGRESS signature (RESI form) is not valid for COMPLETED.
    const progressSig = t.sign(t.pairs.miner, "status", { epochId: N, timestamp: t.nowS() });
    await expectError(
      await t.postJson("/api/v1/zipcode-assignments/status", { ...body, signature: progressSig }),
      401,
      /Invalid signature/,
    );
    // A COMPLETED signature over another hash is not valid for this one.
    const otherSig = t.sign(t.pairs.miner, "statusReceipt", {
      epochId: N,
      status: "COMPLETED",
      manifestKey: key,
      manifestSha256: sha256Hex("honest"),
      timestamp: t.nowS(),
    });
    await expectError(
      await t.postJson("/api/v1/zipcode-assignments/status", { ...body, signature: otherSig }),
      401,
      /Invalid signature/,
    );
    assertEquals(await countEntries(t, kvKeys.receipts(N)), 0);
  }));

Deno.test("receipts are bounded: at most MAX_MANIFEST_PARTS parts, and a repeated part stores nothing new", () =>
  withApi(async (t) => {
    const { body: plan } = await t.current();
    const part = (i: number) => minerPartManifestKey(t.pairs.miner.address, N, i);
    for (let i = 0; i < 3; i++) {
      await t.advance(1000);
      const res = await t.postCompleted(t.pairs.miner, {
        epochId: N,
        nonce: plan.nonce,
        manifest: `p${i}`,
        manifestKey: part(i),
      });
      assertEquals(res.status, 200);
      await res.body?.cancel();
    }
    await t.advance(1000);
    await expectError(
      await t.postCompleted(t.pairs.miner, {
        epochId: N,
        nonce: plan.nonce,
        manifest: "p3",
        manifestKey: part(3),
      }),
      409,
      /At most 3 part manifests/,
    );
    for (let i = 0; i < 10; i++) {
      await t.advance(1000);
      const res = await t.postCompleted(t.pairs.miner, {
        epochId: N,
        nonce: plan.nonce,
        manifest: "p0",
        manifestKey: part(0),
      });
      assertEquals(res.status, 200);
      await res.body?.cancel();
    }
    assertEquals(await countEntries(t, kvKeys.receipts(N)), 3);
  }, { MAX_MANIFEST_PARTS: "3", MINER_RATE_LIMIT_PER_MINUTE: "100" }));

Deno.test("validator uploads: only the epoch under judgement, evidence until its deadline, report until the end", () =>
  withApi(async (t) => {
    await t.current();
    const evidence = "evidence/spot_checks.json";
    const report = "validation_report.json";
    await expectError(await validatorUpload(t, N), 403, /open at 2025-10-01T20:00:00/); // N still running
    await at(t, "2025-10-01T20:10:00Z");
    await t.planner.current();
    await expectError(await validatorUpload(t, NEXT), 403, /open at 2025-10-02T00:00:00/); // N+1 running
    const folder = await validatorUpload(t, N);
    assertEquals(folder.status, 200);
    assertEquals((await folder.json()).metadata.expiresAt, "2025-10-01T21:10:00.000Z");
    await at(t, "2025-10-01T23:30:00Z"); // the evidence deadline (window end - 30 min)
    await expectError(
      await validatorUpload(t, N),
      403,
      /evidence .* closed at 2025-10-01T23:30:00.*name the output/,
    );
    await t.advance(1000);
    await expectError(await validatorUpload(t, N, evidence), 403, /evidence uploads .* closed/);
    await t.advance(1000);
    const named = await validatorUpload(t, N, report);
    assertEquals(named.status, 200);
    const creds = await named.json();
    assertEquals(creds.metadata.expiresAt, "2025-10-02T00:00:00.000Z", "capped at the window's end");
    const v = t.pairs.validator.address;
    assertEquals(
      await postForm(t, creds, validatorKey(v, N, evidence)),
      403,
      "a report policy cannot write evidence",
    );
    assertEquals(await postForm(t, creds, validatorKey(v, N, report)), 204);
    await at(t, "2025-10-02T20:00:00Z"); // 20 h after the window ended
    await expectError(await validatorUpload(t, N, report), 403, /closed at 2025-10-02T00:00:00/);
    assertEquals(t.presigner.keys(t.config.S3_VALIDATOR_BUCKET), [validatorKey(v, N, report)]);
  }));

Deno.test("a validator judging N and a miner working on N+1 cannot see each other's files for N+1", () =>
  withApi(async (t) => {
    await at(t, "2025-10-01T20:30:00Z"); // N under judgement, N+1 running
    await t.current();
    const minerCreds = await (await folderAccess(t, t.pairs.miner)).json();
    assertEquals(minerCreds.folder, minerEpochPrefix(t.pairs.miner.address, NEXT));
    const next = minerDataKey(t.pairs.miner.address, NEXT, "15000", "a.parquet");
    assertEquals(await postForm(t, minerCreds, next), 204);
    // The validator sees nothing of N+1.
    await expectError(await minerList(t, NEXT), 403, /open at 2025-10-01T23:45:00/);
    await t.advance(1000);
    await expectError(await fileUrls(t, [next]), 403, /open at 2025-10-01T23:45:00/);
    await t.advance(1000);
    await expectError(await validatorUpload(t, NEXT), 403, /open at 2025-10-02T00:00:00/);
    // The miner's grant reaches neither N's folder nor the validator bucket, and lists only its own N+1.
    assertEquals(
      await postForm(t, minerCreds, minerDataKey(t.pairs.miner.address, N, "15000", "a.parquet")),
      403,
    );
    assertMatch(minerCreds.list_url, /prefix=data%2Fhotkey%3D.*epoch%3D2025-10-01T20-00-00/);
    // The validator still judges N.
    await t.advance(1000);
    assertEquals((await minerList(t, N)).status, 200);
    assertEquals(t.presigner.keys(t.config.S3_BUCKET), [next]);
  }));

Deno.test("validated counts: only in N's validation window, one submission per validator, the median moves", () =>
  withApi(async (t) => {
    const { body: plan } = await t.current();
    const zip = plan.zipcodes[0];
    const post = (pair: KeyringPair, epochId: string, validatedListings: number) =>
      t.postJson(`/api/v1/zipcode-assignments/epoch/${epochId}/validated-counts`, {
        hotkey: pair.address,
        timestamp: t.nowS(),
        counts: [{ zipcode: zip.zipcode, validatedListings }],
        signature: t.sign(pair, "validatedCounts", { epochId, timestamp: t.nowS() }),
      });
    const expected = async () => (await t.kv.get<number>(kvKeys.expected(zip.zipcode))).value;
    await expectError(await post(t.pairs.validator, N, 1), 403, /open at 2025-10-01T20:00:00/);
    assertEquals(await expected(), null);
    await at(t, "2025-10-01T20:30:00Z");
    const [v1, v2, v3] = [t.pairs.validator, ...t.extraValidators];
    const e = zip.expectedListings;
    assertEquals((await post(v1, N, e + 1000)).status, 200);
    assertEquals((await post(v1, N, e + 1)).status, 200, "a re-post replaces its own");
    assertEquals(await countEntries(t, kvKeys.validatedCountsOfEpoch(N)), 1);
    assertEquals(await expected(), e + 1);
    await post(v2, N, e + 3);
    await post(v3, N, e - 5);
    assertEquals(await expected(), e + 1, "the lower median of e+1, e+3, e-5");
    // After the window (N+1's window is running) N's counts can no longer undo anything.
    await at(t, "2025-10-02T00:00:00Z");
    await expectError(await post(v1, N, 0), 403, /closed at 2025-10-02T00:00:00/);
    assertEquals(await expected(), e + 1);
  }));
