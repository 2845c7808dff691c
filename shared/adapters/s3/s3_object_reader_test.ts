// The S3 object reader against a real S3 protocol server: fauxqs from npm, started per test on a free
// loopback port (it checks no signatures, which the presigner's radosgw suite covers), held to the same
// conformance suite as the fake. Small list pages make the reader follow continuation tokens.
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runObjectReaderConformance } from "../../testing/object_reader_conformance.ts";
import { freePort, waitForHttp } from "../../../tests/localnet/processes.ts";
import { createS3ObjectReader } from "./s3_object_reader.ts";

const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

runObjectReaderConformance("S3 object reader on fauxqs", async () => {
  const port = freePort();
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "npm:fauxqs@2.4.1"],
    env: { FAUXQS_PORT: String(port), FAUXQS_LOGGER: "false" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const endpoint = `http://127.0.0.1:${port}`;
  const options = { endpoint, region: "us-east-1", forcePathStyle: true, ...CREDENTIALS };
  const s3 = new S3Client({ ...options, credentials: CREDENTIALS });
  const stop = async () => {
    s3.destroy();
    server.kill();
    await server.status;
  };
  try {
    await waitForHttp(endpoint, 30_000, "fauxqs");
    await s3.send(new CreateBucketCommand({ Bucket: "zipmine-reader" }));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    reader: createS3ObjectReader({ ...options, pageSize: 2 }),
    bucket: "zipmine-reader",
    put: async (key, body) =>
      void await s3.send(new PutObjectCommand({ Bucket: "zipmine-reader", Key: key, Body: body })),
    teardown: stop,
  };
}, { test: Deno.test });
