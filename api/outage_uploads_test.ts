// Uploads while the API is down (issue 18): upload policies issued ahead, each confined to its epoch's
// folder and expiring at that epoch's deadline, and the receipts S3's write time earns for parts uploaded
// while the API was down. Each case asserts what is refused and that nothing was stored or credited.
import { assert, assertEquals } from "../tests/assert.ts";
import { sha256Hex } from "../shared/canonical_json.ts";
import { minerDataKey, minerManifestKey, minerPartManifestKey } from "../shared/s3_keys.ts";
import type { HeldUploadPolicy } from "../shared/schemas/s3_access.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { apiClientOf, createTestApi, type TestApi } from "../tests/harness/api_harness.ts";
import { recordHeartbeat } from "./stores/heartbeats.ts";
import { kvKeys } from "./stores/kv_keys.ts";

const N = "2025-10-01T16-00-00"; // 16:00-20:00, deadline 19:45; the harness clock starts at 16:30
const N1 = "2025-10-01T20-00-00";
const N2 = "2025-10-02T00-00-00";

async function withApi(fn: (t: TestApi) => Promise<void>): Promise<void> {
  const t = await createTestApi({
    env: { UPLOAD_POLICIES_AHEAD: "2", API_DOWN_GRACE_SECONDS: "90" },
    extraValidators: ["//zipmine/validator/2"],
  });
  try {
    await t.current(); // plans N
    await fn(t);
  } finally {
    t.close();
  }
}

/** Moves the clock to `iso`; while `up`, the API heartbeats every 30 s on the way, as its timer does. */
async function runUntil(t: TestApi, iso: string, up: boolean): Promise<void> {
  const target = Date.parse(iso);
  while (t.deps.clock.now().getTime() < target) {
    await t.advance(Math.min(up ? 30_000 : Infinity, target - t.deps.clock.now().getTime()));
    if (up) await recordHeartbeat(t.kv, t.deps.clock.now().getTime());
  }
}

/** Posts `body` to `key` with a held policy, as a miner's uploader does; the S3 status. */
async function upload(t: TestApi, policy: HeldUploadPolicy, key: string, body: string): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...policy.fields, key })) form.append(k, v);
  form.append("file", new Blob([body]), key.slice(key.lastIndexOf("/") + 1));
  const res = await t.presigner.fetch(policy.url, { method: "POST", body: form });
  await res.body?.cancel();
  return res.status;
}

Deno.test("policies issued ahead: one per epoch, confined to its folder, expiring at its deadline", () =>
  withApi(async (t) => {
    const miner = t.pairs.miner.address;
    const { policies } = await apiClientOf(t, t.pairs.miner).uploadPoliciesAhead(miner);
    assertEquals(policies.map((p) => [p.epoch_id, p.expiry]), [
      [N, "2025-10-01T19:45:00.000Z"],
      [N1, "2025-10-01T23:45:00.000Z"],
      [N2, "2025-10-02T03:45:00.000Z"],
    ]);
    const ahead = policies[1];
    assertEquals(ahead.folder, `data/hotkey=${miner}/epoch=${N1}/`);
    assertEquals(await upload(t, ahead, minerDataKey(miner, N, "15000", "a.parquet"), "x"), 403, "not N");
    assertEquals(await upload(t, ahead, minerDataKey(miner, N2, "15000", "a.parquet"), "x"), 403, "not N+2");
    await runUntil(t, "2025-10-01T23:45:01Z", false);
    assertEquals(await upload(t, ahead, minerManifestKey(miner, N1), "late"), 403, "expired at the deadline");
    assertEquals(t.presigner.keys(t.config.S3_BUCKET), [], "nothing was stored");
    // After N+1's deadline (N+1 still running) its policy is no longer issued; the next two epochs' are.
    const later = await apiClientOf(t, t.pairs.miner).uploadPoliciesAhead(miner);
    assertEquals(later.policies.map((p) => p.epoch_id), [N2, "2025-10-02T04-00-00"]);
  }));

Deno.test("a part uploaded while the API was down is credited at S3's write time, every validator alike", () =>
  withApi(async (t) => {
    const [cheat, honest] = [t.pairs.miner.address, t.pairs.miner2.address];
    const policyOf = async (pair: KeyringPair) =>
      (await apiClientOf(t, pair).uploadPoliciesAhead(pair.address)).policies[0];
    const [cheatPolicy, honestPolicy] = [await policyOf(t.pairs.miner), await policyOf(t.pairs.miner2)];
    await runUntil(t, "2025-10-01T16:50:00Z", true);
    // The cheater uploads while the API is up and never asks for a receipt, hoping S3's time counts.
    assertEquals(await upload(t, cheatPolicy, minerPartManifestKey(cheat, N, 0), "cheat part"), 204);
    await runUntil(t, "2025-10-01T17:00:00Z", true);
    await runUntil(t, "2025-10-01T18:00:00Z", false); // the API is down
    assertEquals(await upload(t, honestPolicy, minerPartManifestKey(honest, N, 0), "honest part"), 204);
    await runUntil(t, "2025-10-01T19:50:00Z", false); // back after the deadline
    const validators = [apiClientOf(t, t.pairs.validator), apiClientOf(t, t.extraValidators[0])];
    const first = await validators[0].submissions(N);
    assertEquals(first.submissions, [{
      hotkey: honest,
      epochId: N,
      manifestKey: minerPartManifestKey(honest, N, 0),
      manifestSha256: sha256Hex("honest part"),
      receivedAt: "2025-10-01T18:00:00.000Z",
      basis: "s3-outage",
    }]);
    assert((await t.kv.get(kvKeys.outageReceipts(N))).value !== null, "final, so kept");
    await runUntil(t, "2025-10-01T21:00:00Z", true);
    assertEquals(await validators[1].submissions(N), first, "a validator asking later sees the same");
  }));

Deno.test("outage receipts: the verdict of a moment near the API's return never changes with who asks when", () =>
  withApi(async (t) => {
    const honest = t.pairs.miner2.address;
    const policy = (await apiClientOf(t, t.pairs.miner2).uploadPoliciesAhead(honest)).policies[0];
    await runUntil(t, "2025-10-01T17:00:00Z", true);
    await runUntil(t, "2025-10-01T19:44:50Z", false);
    assertEquals(await upload(t, policy, minerPartManifestKey(honest, N, 0), "last-second part"), 204);
    // The API comes back 40 s after the upload; the first listing is a heartbeat within the grace of it.
    await runUntil(t, "2025-10-01T19:45:30Z", false);
    const early = await apiClientOf(t, t.pairs.validator).submissions(N);
    await runUntil(t, "2025-10-01T21:00:00Z", false);
    const late = await apiClientOf(t, t.extraValidators[0]).submissions(N);
    assertEquals(late, early);
    assertEquals(
      early.submissions,
      [],
      "within the grace of a heartbeat: the API counts as up, so no credit",
    );
  }));
