/**
 * Issue 18, uploads across programs: while the API is up a miner holds upload policies issued ahead; the
 * API goes down before epoch N+1 starts and stays down past its deadline; the miner uploads N+1 through its
 * held policy with its real uploader; when the API is back, a validator's gather and integrity check see
 * the upload with a receipt timed by S3, and a cheater who skipped its receipt while the API was up and a
 * miner whose upload came after the deadline get nothing.
 */
import { assertEquals, assertRejects } from "./assert.ts";
import { createApiClient } from "../shared/api_client.ts";
import { createUploader, UploadError } from "../shared/adapters/s3/presigned_post.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { checkIntegrity } from "../shared/integrity.ts";
import { createLogger } from "../shared/log.ts";
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { minerDataKey, minerManifestKey } from "../shared/s3_keys.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { createHeldPolicies } from "../miner/upload_policies.ts";
import { gatherMinerUpload } from "../validator/gather.ts";
import { recordHeartbeat } from "../api/stores/heartbeats.ts";
import { createTestApi } from "./harness/api_harness.ts";

const N1 = "2025-10-01T20-00-00"; // 20:00-24:00, deadline 23:45; the harness clock starts at 16:30
const EPOCH_OPTIONS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };
const LIMITS = { maxFiles: 10, maxRows: 1000, maxBytes: 1_000_000, maxFileBytes: 1_000_000 };

async function world() {
  const t = await createTestApi({ env: { UPLOAD_POLICIES_AHEAD: "2", API_DOWN_GRACE_SECONDS: "90" } });
  await t.current();
  let apiUp = true;
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), clock: t.deps.clock });
  const clientFor = (pair: KeyringPair) =>
    createApiClient({
      baseUrl: "http://api.test",
      pair,
      clock: t.deps.clock,
      fetch: (input, init) =>
        apiUp
          ? Promise.resolve(t.app.request(String(input).replace("http://api.test", ""), init))
          : Promise.reject(new TypeError("error sending request: connection refused")),
    });
  const stateDir = await Deno.makeTempDir();
  const now = () => t.deps.clock.now().getTime();
  /** A miner; `early` skips the API and posts with the held policy of that epoch, as a cheater can. */
  const minerOf = (pair: KeyringPair, early?: string) => {
    const held = createHeldPolicies({
      api: clientFor(pair),
      coldkey: pair.address,
      stateDir: `${stateDir}/${pair.address}`,
      epochOptions: EPOCH_OPTIONS,
      clock: t.deps.clock,
      log,
    });
    const uploader = createUploader({
      getCredentials: early ? async () => (await held.held(early))! : held.credentials,
      fetch: t.presigner.fetch,
      clock: t.deps.clock,
      sleep: () => Promise.resolve(),
      attempts: 2,
    });
    return { held, uploader };
  };
  /** Moves the clock to `iso`; while the API is up it heartbeats every 30 s. */
  const runUntil = async (iso: string) => {
    while (now() < Date.parse(iso)) {
      await t.advance(Math.min(apiUp ? 30_000 : Infinity, Date.parse(iso) - now()));
      if (apiUp) await recordHeartbeat(t.kv, now());
    }
  };
  return {
    t,
    lines,
    clientFor,
    minerOf,
    runUntil,
    setApi: (up: boolean) => (apiUp = up),
    close: async () => {
      t.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

/** Uploads one data file and the signed manifest naming it, as the epoch runner does. */
async function submit(uploader: ReturnType<typeof createUploader>, pair: KeyringPair, deadlineMs: number) {
  const bytes = new TextEncoder().encode(`rows of ${pair.address}`);
  const key = minerDataKey(pair.address, N1, "77001", "listings.parquet");
  await uploader.upload(key, bytes, deadlineMs);
  const manifest = encodeManifest(signManifest(pair, {
    version: 1,
    epoch_id: N1,
    miner_hotkey: pair.address,
    created_at: new Date().toISOString(),
    files: [{ key, zipcode: "77001", sha256: sha256Hex(bytes), rows: 1, bytes: bytes.length }],
    total_rows: 1,
  }));
  await uploader.upload(
    minerManifestKey(pair.address, N1),
    new TextEncoder().encode(manifest.text),
    deadlineMs,
  );
}

Deno.test("an epoch that starts and ends while the API is down is uploaded, receipted by S3 and judged", async () => {
  const w = await world();
  try {
    const { t } = w;
    const honest = w.minerOf(t.pairs.miner);
    const cheat = w.minerOf(t.pairs.miner2, N1);
    await honest.held.sync();
    await cheat.held.sync();
    const deadline = Date.parse("2025-10-01T23:45:00Z");
    // The cheater uploads N+1 early, before it starts and while the API is up, and never asks for a receipt.
    await w.runUntil("2025-10-01T19:50:00Z");
    await submit(cheat.uploader, t.pairs.miner2, deadline);
    await w.runUntil("2025-10-01T19:55:00Z");
    await t.planner.planAhead(); // the minute job plans N+1 (and seals it) before the API goes down
    w.setApi(false); // down before N+1 starts, back after its deadline
    await w.runUntil("2025-10-01T21:10:00Z");
    await submit(honest.uploader, t.pairs.miner, deadline);
    assertEquals(w.lines.some((l) => l.includes("upload policy issued ahead used") && l.includes(N1)), true);
    await w.runUntil("2025-10-01T23:45:01Z");
    // After the deadline no upload gets through, even with the policy held for N+1.
    await assertRejects(
      () => submit(honest.uploader, t.pairs.miner, Date.parse("2025-10-02T00:00:00Z")),
      UploadError,
    );
    await w.runUntil("2025-10-02T00:05:00Z");
    w.setApi(true);

    const validator = w.clientFor(t.pairs.validator);
    const { submissions } = await validator.submissions(N1);
    assertEquals(submissions.map((r) => [r.hotkey, r.receivedAt, r.basis]), [
      [t.pairs.miner.address, "2025-10-01T21:10:00.000Z", "s3-outage"],
    ]);
    const workDir = await Deno.makeTempDir();
    try {
      for (
        const [pair, zeroReason] of [[t.pairs.miner, null], [t.pairs.miner2, "no COMPLETED receipt"]] as const
      ) {
        const upload = await gatherMinerUpload(
          { api: validator, fetch: t.presigner.fetch, workDir, limits: LIMITS },
          pair.address,
          N1,
        );
        const integrity = checkIntegrity({
          hotkey: pair.address,
          epochId: N1,
          deadlineMs: deadline,
          objects: upload.objects,
          manifestText: upload.manifestText,
          fileSha256: Object.fromEntries(upload.files.map((f) => [f.key, f.sha256])),
          receipt: submissions.find((r) => r.hotkey === pair.address) ?? null,
          limits: LIMITS,
          refused: upload.refused,
        });
        assertEquals(integrity.zeroReason, zeroReason, pair.address);
      }
    } finally {
      await Deno.remove(workDir, { recursive: true });
    }
  } finally {
    await w.close();
  }
});
