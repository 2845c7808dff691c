// The API's miner upload policy on a real S3 server (radosgw): issued by the real app and the real
// presigner, it is confined to the running epoch's folder and expires at the submission deadline, and
// radosgw refuses an upload after that expiry and stores nothing. Real time: the SDK dates policies with
// the system clock, so the API's clock is the system clock here too (a 60 s epoch whose deadline is a few
// seconds away).
//
// Run: eval "$(bash .ci/s3-server.sh start)" && deno test -A tests/integration/s3_epoch_seal_test.ts
import { assert, assertEquals } from "../assert.ts";
import { createS3ObjectReader } from "../../shared/adapters/s3/s3_object_reader.ts";
import { createS3Presigner } from "../../shared/adapters/s3/s3_presigner.ts";
import { minerDataKey } from "../../shared/s3_keys.ts";
import { FolderAccessResponseSchema } from "../../shared/schemas/s3_access.ts";
import { createTestApi } from "../harness/api_harness.ts";
import {
  createTestBucket,
  keysOf,
  postUpload,
  RADOSGW_ENDPOINT as ENDPOINT,
  radosgwSettings,
} from "../harness/radosgw.ts";

if (ENDPOINT === "") console.log("s3_epoch_seal_test: ignored, ZIPMINE_TEST_S3_ENDPOINT is unset");

const EPOCH_MS = 60_000;
const LEAD_TO_DEADLINE_MS = 4_000;

/** Waits until `ms` (system time). */
function until(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));
}

Deno.test({
  name: "radosgw refuses a miner upload after the API's policy expired at the deadline, and stores nothing",
  ignore: ENDPOINT === "",
  async fn() {
    const options = radosgwSettings();
    const { s3, bucket, drop } = await createTestBucket("zipmine-seal");
    // A 60 s epoch whose deadline lies LEAD_TO_DEADLINE_MS (+- 1 s) ahead; wait for a fresh minute if needed.
    if (EPOCH_MS - (Date.now() % EPOCH_MS) < LEAD_TO_DEADLINE_MS + 2_000) await until(Date.now() + 7_000);
    const end = Math.ceil(Date.now() / EPOCH_MS) * EPOCH_MS;
    const lead = Math.floor((end - Date.now() - LEAD_TO_DEADLINE_MS) / 1000);
    const deadline = end - lead * 1000;
    const t = await createTestApi({
      clock: { now: () => new Date() },
      s3: { presigner: createS3Presigner(options), objectReader: createS3ObjectReader(options) },
      env: {
        S3_BUCKET: bucket,
        S3_FORCE_PATH_STYLE: "true",
        EPOCH_SECONDS: "60",
        UPLOAD_LEAD_SECONDS: String(lead),
        EVIDENCE_LEAD_SECONDS: "10",
        FINALIZE_LEAD_SECONDS: "5",
        PLAN_LEAD_SECONDS: "0",
      },
    });
    try {
      const miner = t.pairs.miner;
      const { body: plan } = await t.current();
      const folderAccess = () => {
        const request = { coldkey: miner.address, hotkey: miner.address, timestamp: t.nowS() };
        return t.postJson("/get-folder-access", {
          ...request,
          signature: t.sign(miner, "folderAccess", request),
        });
      };
      const res = await folderAccess();
      assertEquals(res.status, 200);
      const creds = FolderAccessResponseSchema.parse(await res.json());
      assert(Date.parse(creds.expiry) <= deadline, `policy expiry ${creds.expiry} is past the deadline`);
      const upload = (key: string) => postUpload(creds, key, "parquet bytes");
      const onTime = minerDataKey(miner.address, plan.epochId, "15000", "listings.parquet");
      assertEquals((await upload(onTime)).status, 204, "an upload before the deadline is stored");
      await until(deadline + 1_500); // past the policy's expiration (whole seconds)
      const late = await upload(minerDataKey(miner.address, plan.epochId, "15001", "listings.parquet"));
      assertEquals(late.status, 403, late.text);
      assert(/AccessDenied/.test(late.text), late.text);
      assertEquals(await keysOf(s3, bucket), [onTime], "the late upload stored nothing");
      // And the API issues no new policy after the deadline.
      const after = await folderAccess();
      assertEquals(after.status, 403);
      await after.body?.cancel();
    } finally {
      t.close();
      await drop();
    }
  },
});
