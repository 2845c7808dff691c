/**
 * The one place the API builds its AWS SDK client, shared by the presigner and the object reader so both
 * reach and sign for the server the same way.
 * @module
 */
import { S3Client } from "@aws-sdk/client-s3";

/** How to reach and sign for the S3 server. */
export interface S3ConnectionOptions {
  /** Base URL of an S3-compatible server; omit for AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket` URLs instead of `bucket.endpoint` (radosgw, MinIO). */
  forcePathStyle: boolean;
}

/** Creates the SDK client. The credentials stay inside it; they are never logged. */
export function createS3Client(options: S3ConnectionOptions, maxAttempts: number): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    forcePathStyle: options.forcePathStyle,
    // Without these the SDK signs `x-amz-checksum-mode=ENABLED` into every presigned GET URL, which only
    // helps SDK readers; third parties fetch the URLs with plain HTTP clients.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts,
  });
}
