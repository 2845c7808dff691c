/**
 * The localnet's object store: fauxqs from npm by default (works anywhere, no auth checks), radosgw
 * (`--s3 radosgw`, via `.ci/s3-server.sh`, which enforces SigV4 and POST policies), or any S3 endpoint
 * (`--s3 http://...`, credentials from S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY).
 * @module
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { createSupervisor } from "./processes.ts";
import { freePort, waitForHttp } from "./processes.ts";

/** How to reach the store. */
export interface S3Store {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** Starts (or connects to) the store chosen by `kind`. */
export async function startStore(
  kind: string,
  supervisor: ReturnType<typeof createSupervisor>,
  root: string,
): Promise<S3Store> {
  if (kind === "fauxqs") {
    const port = freePort();
    await supervisor.start("s3-fauxqs", ["run", "-A", "npm:fauxqs@2.4.1"], {
      FAUXQS_PORT: String(port),
      FAUXQS_LOGGER: "false",
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitForHttp(endpoint, 30_000, "fauxqs");
    return {
      endpoint,
      region: "us-east-1",
      accessKeyId: "localnet",
      secretAccessKey: "localnet",
      stop: async () => {},
    };
  }
  if (kind === "radosgw") {
    const script = `${root}/.ci/s3-server.sh`;
    for (const step of ["install", "start"]) {
      const out = await new Deno.Command("bash", { args: [script, step], stdout: "piped", stderr: "inherit" })
        .output();
      if (!out.success) throw new Error(`radosgw ${step} failed (bash .ci/s3-server.sh ${step})`);
      if (step === "start") {
        const exports = Object.fromEntries(
          [...new TextDecoder().decode(out.stdout).matchAll(/export (\w+)=["']?([^"'\n]+)["']?/g)].map((
            m,
          ) => [m[1], m[2]]),
        );
        return {
          endpoint: exports.ZIPMINE_TEST_S3_ENDPOINT,
          region: exports.ZIPMINE_TEST_S3_REGION ?? "us-east-1",
          accessKeyId: exports.ZIPMINE_TEST_S3_ACCESS_KEY_ID,
          secretAccessKey: exports.ZIPMINE_TEST_S3_SECRET_ACCESS_KEY,
          stop: async () => void await new Deno.Command("bash", { args: [script, "stop"] }).output(),
        };
      }
    }
  }
  if (!/^https?:\/\//.test(kind)) {
    throw new Error(`--s3 takes fauxqs, radosgw or an http(s) endpoint, not "${kind}"`);
  }
  const accessKeyId = Deno.env.get("S3_ACCESS_KEY_ID");
  const secretAccessKey = Deno.env.get("S3_SECRET_ACCESS_KEY");
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("--s3 <endpoint> needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY");
  }
  return {
    endpoint: kind,
    region: Deno.env.get("S3_REGION") ?? "us-east-1",
    accessKeyId,
    secretAccessKey,
    stop: async () => {},
  };
}

/** Creates the buckets (an existing one is fine). */
export async function createBuckets(store: S3Store, buckets: readonly string[]): Promise<void> {
  const client = new S3Client({
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  });
  try {
    for (const bucket of buckets) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw error;
      }
    }
  } finally {
    client.destroy();
  }
}
