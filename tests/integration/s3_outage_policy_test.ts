// Upload policies issued ahead and S3-timed receipts (issue 18) on a real S3 server (radosgw): a policy
// issued during epoch N for N+1 is confined to N+1's folder; an upload with it before N+1 starts is stored
// (S3 policies have no start time) but earns nothing; an upload during N+1 is credited at radosgw's own
// LastModified when the API was down; after N+1's deadline radosgw refuses the policy and stores nothing.
// Real time (60 s epochs): the SDK dates policies with the system clock. The harness API writes no
// heartbeats of its own, so until the receipt listing (which writes one) it counts as down.
//
// Run: eval "$(bash .ci/s3-server.sh start)" && deno test -A tests/integration/s3_outage_policy_test.ts
import { assert, assertEquals } from "../assert.ts";
import { createS3ObjectReader } from "../../shared/adapters/s3/s3_object_reader.ts";
import { createS3Presigner } from "../../shared/adapters/s3/s3_presigner.ts";
import { epochAt, epochByIndex } from "../../shared/epoch.ts";
import { minerDataKey, minerPartManifestKey } from "../../shared/s3_keys.ts";
import { apiClientOf, createTestApi } from "../harness/api_harness.ts";
import {
  createTestBucket,
  keysOf,
  postUpload,
  RADOSGW_ENDPOINT as ENDPOINT,
  radosgwSettings,
} from "../harness/radosgw.ts";

if (ENDPOINT === "") console.log("s3_outage_policy_test: ignored, ZIPMINE_TEST_S3_ENDPOINT is unset");

const EPOCH = { epochSeconds: 60, uploadLeadSeconds: 20 };

function until(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));
}

Deno.test({
  name:
    "radosgw: a policy issued ahead works in its epoch, earns an S3-timed receipt, and dies at its deadline",
  ignore: ENDPOINT === "",
  async fn() {
    const options = radosgwSettings();
    const { s3, bucket, drop } = await createTestBucket("zipmine-ahead");
    const t = await createTestApi({
      clock: { now: () => new Date() },
      s3: { presigner: createS3Presigner(options), objectReader: createS3ObjectReader(options) },
      env: {
        S3_BUCKET: bucket,
        S3_FORCE_PATH_STYLE: "true",
        EPOCH_SECONDS: String(EPOCH.epochSeconds),
        UPLOAD_LEAD_SECONDS: String(EPOCH.uploadLeadSeconds),
        EVIDENCE_LEAD_SECONDS: "10",
        FINALIZE_LEAD_SECONDS: "5",
        PLAN_LEAD_SECONDS: "0",
        UPLOAD_POLICIES_AHEAD: "1",
        API_DOWN_GRACE_SECONDS: "5",
      },
    });
    try {
      const miner = t.pairs.miner;
      const client = (pair = miner) => apiClientOf(t, pair);
      const next = epochByIndex(epochAt(Date.now(), EPOCH).index + 1, EPOCH);
      const ahead = (await client().uploadPoliciesAhead(miner.address)).policies.find((p) =>
        p.epoch_id === next.id
      );
      assert(ahead, `a policy for ${next.id}`);
      // Whole seconds from the request's moment, truncated to whole seconds: under 2 s early, never late.
      const expiry = Date.parse(ahead.expiry);
      assert(
        expiry <= next.submissionDeadline && expiry > next.submissionDeadline - 2000,
        `it expires at its epoch's deadline (${ahead.expiry} vs ${
          new Date(next.submissionDeadline).toISOString()
        })`,
      );
      const early = minerPartManifestKey(miner.address, next.id, 0);
      assertEquals(
        (await postUpload(ahead, early, "early part")).status,
        204,
        "stored before the epoch starts",
      );
      const other = minerDataKey(miner.address, epochAt(Date.now(), EPOCH).id, "15000", "x.parquet");
      assertEquals((await postUpload(ahead, other, "x")).status, 403, "not another epoch's folder");

      await until(next.start + 1_000);
      await t.current(); // plans the next epoch, now running
      const onTime = minerPartManifestKey(miner.address, next.id, 1);
      assertEquals((await postUpload(ahead, onTime, "on-time part")).status, 204);
      await until(next.submissionDeadline + 1_500); // past the policy's expiration (whole seconds)
      const late = await postUpload(ahead, minerPartManifestKey(miner.address, next.id, 2), "late part");
      assertEquals(late.status, 403, late.text);
      assert(/AccessDenied/.test(late.text), late.text);
      assertEquals(await keysOf(s3, bucket), [early, onTime], "the late upload stored nothing");

      await until(next.submissionDeadline + 6_000); // the grace after the deadline: the credits are final
      const { submissions, history } = await client(t.pairs.validator).submissions(next.id);
      assertEquals([...submissions, ...history].map((r) => [r.manifestKey, r.basis]), [[
        onTime,
        "s3-outage",
      ]]);
      const at = Date.parse(submissions[0].receivedAt);
      assert(at >= next.start && at < next.submissionDeadline, `credited at radosgw's write time ${at}`);
    } finally {
      t.close();
      await drop();
    }
  },
});
