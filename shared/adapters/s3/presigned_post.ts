/**
 * Uploads files with the API's presigned POST: the policy's fields, then `key`, then the `file` part, as S3
 * expects. Credentials are fetched from `/get-folder-access` when missing or about to expire, transient
 * failures are retried with backoff, and nothing is sent once the deadline has passed.
 * @module
 */
import { ApiClientError } from "../../api_client.ts";
import type { Registry } from "../../metrics.ts";
import type { Clock } from "../../ports.ts";

/** Presigned POST credentials as `/get-folder-access` returns them. */
export interface PostCredentials {
  url: string;
  fields: Record<string, string>;
  expiry: string;
}

/** What the uploader needs. */
export interface UploaderDeps {
  getCredentials: () => Promise<PostCredentials>;
  fetch: typeof fetch;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Attempts per file; by default it keeps trying (backing off up to 10 s) until the deadline. */
  attempts?: number;
  /** Counts files stored or given up in `zipmine_miner_uploads_total{outcome="ok"|"failed"}`. */
  metrics?: Registry;
}

/** Raised when a file could not be uploaded before the deadline or within the attempts. */
export class UploadError extends Error {
  constructor(message: string, readonly key: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UploadError";
  }
}

const CREDENTIAL_MARGIN_MS = 60_000;

/** Creates an uploader. */
export function createUploader(deps: UploaderDeps) {
  let credentials: PostCredentials | null = null;
  const attempts = deps.attempts ?? Infinity;
  const uploads = deps.metrics?.counter("zipmine_miner_uploads_total", "Files uploaded, by outcome");
  // Both series exist from the start, so Prometheus' increase() sees the very first failure.
  for (const outcome of ["ok", "failed"]) uploads?.inc({ outcome }, 0);

  async function fresh(deadlineMs: number): Promise<PostCredentials> {
    // The API never issues a policy past the window's end, so one that reaches this upload's deadline is
    // as good as a new one: refetching it near the deadline would only spend the rate limit.
    const expiry = credentials ? Date.parse(credentials.expiry) : -Infinity;
    if (expiry - CREDENTIAL_MARGIN_MS < deps.clock.now().getTime() && expiry < deadlineMs - 1000) {
      credentials = await deps.getCredentials();
    }
    return credentials!;
  }

  /** Uploads `bytes` to `key`; resolves when stored, rejects with `UploadError` otherwise. */
  async function upload(key: string, bytes: Uint8Array, deadlineMs: number): Promise<void> {
    try {
      await send(key, bytes, deadlineMs);
    } catch (error) {
      uploads?.inc({ outcome: "failed" });
      throw error;
    }
    uploads?.inc({ outcome: "ok" });
  }

  async function send(key: string, bytes: Uint8Array, deadlineMs: number): Promise<void> {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (deps.clock.now().getTime() >= deadlineMs) break;
      try {
        const creds = await fresh(deadlineMs);
        const form = new FormData();
        for (const [name, value] of Object.entries(creds.fields)) form.append(name, value);
        form.set("key", key);
        form.append(
          "file",
          new Blob([bytes as Uint8Array<ArrayBuffer>]),
          key.slice(key.lastIndexOf("/") + 1),
        );
        const response = await deps.fetch(creds.url, { method: "POST", body: form });
        const text = await response.text();
        if (response.ok) return;
        // 403 usually means an expired or refused policy: fetch new credentials before retrying.
        if (response.status === 403) credentials = null;
        if (response.status === 400 && /EntityTooLarge|EntityTooSmall/.test(text)) {
          throw new UploadError(`S3 refused ${key}: ${text.slice(0, 200)}`, key);
        }
        lastError = new Error(`S3 answered ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        if (error instanceof UploadError) throw error;
        // The API refusing credentials (e.g. 403: the window is closed) is final; only 429 and 5xx pass.
        if (error instanceof ApiClientError && error.status < 500 && error.status !== 429) {
          throw new UploadError(`No upload credentials for ${key}: ${error.detail}`, key, { cause: error });
        }
        lastError = error;
      }
      await deps.sleep(Math.min(10_000, 1000 * 2 ** attempt));
    }
    throw new UploadError(
      deps.clock.now().getTime() >= deadlineMs
        ? `Deadline passed before ${key} was uploaded`
        : `Could not upload ${key}`,
      key,
      { cause: lastError },
    );
  }

  return { upload };
}
