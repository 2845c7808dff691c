/**
 * What localnet leaves behind for analysts: both buckets mirrored to `<dir>/record/` in their key layout
 * (each file's modification time set to S3's LastModified, which integrity's deadline check reads), so
 * `deno task query --dir <dir>/record` and `deno task verify --dir <dir>/record` work once every process
 * has stopped. With `--check`, every judged epoch must re-derive (`validator/audit/`).
 * @module
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { verifyEpoch } from "../../validator/audit/main.ts";
import { localRecord, writeRecordFile } from "../../validator/audit/source.ts";
import type { S3Store } from "./s3_store.ts";

/** The record's folder under localnet's `--dir`. */
export const recordDir = (dir: string) => join(dir, "record");

/** Copies every object of `buckets` to `root`; returns how many. */
export async function mirrorBuckets(
  store: S3Store,
  buckets: readonly string[],
  root: string,
): Promise<number> {
  const client = new S3Client({
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  });
  let count = 0;
  try {
    for (const bucket of buckets) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
          const bytes = await got.Body!.transformToByteArray();
          await writeRecordFile(root, object.Key!, bytes, object.LastModified ?? new Date(0));
          count++;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  } finally {
    client.destroy();
  }
  return count;
}

/** The commands that work on the record afterwards. */
export function recordCommands(dir: string): string[] {
  const root = recordDir(dir);
  return [
    `deno task query --dir ${root} "SELECT epoch_id, validator_hotkey, miner_hotkey, rank, score FROM miner_scores WHERE rank IS NOT NULL ORDER BY epoch_id, validator_hotkey, rank"`,
    `deno task verify --dir ${root}`,
  ];
}

/** `--check`: one failure line per validator whose report of a judged epoch does not re-derive. */
export async function checkRecord(dir: string, epochIds: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const epochId of epochIds) {
    const verdicts = await verifyEpoch(localRecord(recordDir(dir)), epochId, { recompute: true });
    if (verdicts.length === 0) failures.push(`verify: no validator's report of ${epochId} is in the record`);
    for (const v of verdicts.filter((v) => !v.ok)) {
      failures.push(
        `verify: ${v.validator}'s report of ${epochId} does not re-derive: ${v.disagreements[0]?.reason}`,
      );
    }
  }
  return failures;
}
