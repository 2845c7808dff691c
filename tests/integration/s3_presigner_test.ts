// The S3 presigner against a real S3 server (radosgw), held to the same conformance suite as the fake.
// Each test gets a fresh bucket, created and emptied/deleted with the SDK.
//
// Run: eval "$(bash .ci/s3-server.sh start)" && deno test -A tests/integration/s3_presigner_test.ts
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { createS3Presigner, type S3PresignerOptions } from "../../shared/adapters/s3/s3_presigner.ts";
import {
  type PresignerTestEnv,
  runPresignerConformance,
} from "../../shared/testing/presigner_conformance.ts";

const ENDPOINT = Deno.env.get("ZIPMINE_TEST_S3_ENDPOINT") ?? "";
if (ENDPOINT === "") {
  console.log(
    "s3_presigner_test: ignored, ZIPMINE_TEST_S3_ENDPOINT is unset; start radosgw with " +
      '`eval "$(bash .ci/s3-server.sh start)"`',
  );
}

function settings(): S3PresignerOptions {
  return {
    endpoint: ENDPOINT,
    region: Deno.env.get("ZIPMINE_TEST_S3_REGION") ?? "us-east-1",
    accessKeyId: Deno.env.get("ZIPMINE_TEST_S3_ACCESS_KEY_ID") ?? "",
    secretAccessKey: Deno.env.get("ZIPMINE_TEST_S3_SECRET_ACCESS_KEY") ?? "",
    forcePathStyle: true,
  };
}

function uniqueBucket(): string {
  const random = crypto.getRandomValues(new Uint32Array(2)).join("").slice(0, 10);
  return `zipmine-presign-${Date.now().toString(36)}-${random}`;
}

/** Deletes every object (page by page) and then the bucket. */
async function dropBucket(s3: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
    if (objects.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

async function makeEnv(): Promise<PresignerTestEnv> {
  const options = settings();
  const { accessKeyId, secretAccessKey } = options;
  const s3 = new S3Client({ ...options, credentials: { accessKeyId, secretAccessKey } });
  const bucket = uniqueBucket();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    presigner: createS3Presigner(options),
    bucket,
    fetch: globalThis.fetch,
    elapse: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    teardown: async () => {
      try {
        await dropBucket(s3, bucket);
      } finally {
        s3.destroy();
      }
    },
  };
}

runPresignerConformance("S3 presigner on radosgw", makeEnv, { test: Deno.test, ignore: ENDPOINT === "" });
