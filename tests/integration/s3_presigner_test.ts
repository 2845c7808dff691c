// The S3 presigner against a real S3 server (radosgw), held to the same conformance suite as the fake.
// Each test gets a fresh bucket, created and emptied/deleted with the SDK.
//
// Run: eval "$(bash .ci/s3-server.sh start)" && deno test -A tests/integration/s3_presigner_test.ts
import { createS3Presigner } from "../../shared/adapters/s3/s3_presigner.ts";
import {
  type PresignerTestEnv,
  runPresignerConformance,
} from "../../shared/testing/presigner_conformance.ts";
import { createTestBucket, RADOSGW_ENDPOINT as ENDPOINT, radosgwSettings } from "../harness/radosgw.ts";

if (ENDPOINT === "") {
  console.log(
    "s3_presigner_test: ignored, ZIPMINE_TEST_S3_ENDPOINT is unset; start radosgw with " +
      '`eval "$(bash .ci/s3-server.sh start)"`',
  );
}

async function makeEnv(): Promise<PresignerTestEnv> {
  const { bucket, drop } = await createTestBucket("zipmine-presign");
  return {
    presigner: createS3Presigner(radosgwSettings()),
    bucket,
    fetch: globalThis.fetch,
    elapse: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    teardown: drop,
  };
}

runPresignerConformance("S3 presigner on radosgw", makeEnv, { test: Deno.test, ignore: ENDPOINT === "" });
