/**
 * One epoch of mining, resumable at every step: scrape each assigned ZIP not yet finished (a few at a time,
 * leaving a reserve before the deadline for uploads), write its Parquet file and mark it finished, upload
 * the files (as they finish with UPLOAD_EARLY), then sign and upload the manifest and report COMPLETED with
 * its SHA-256, which earns the API's server-timed receipt. Nothing is uploaded after the deadline.
 * @module
 */
import { type ApiClient, ApiClientError } from "../shared/api_client.ts";
import type { Logger } from "../shared/log.ts";
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { minerDataKey, minerManifestKey } from "../shared/s3_keys.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";
import type { ManifestBody } from "../shared/schemas/manifest.ts";
import type { AssignmentResponse } from "../shared/schemas/zipcode_assignments.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { writeListingsParquet } from "../shared/adapters/duckdb/listings_parquet.ts";
import { openEpochState, type ScrapedZip } from "./state/epoch_state.ts";

/** Scrapes one ZIP into canonical records stamped with the epoch's protocol fields. */
export type ZipScraper = (
  zipcode: string,
  context: { epochId: string; nonce: string; minerHotkey: string; signal: AbortSignal },
) => Promise<ListingRecord[]>;

/** Raised by a scraper when scraping must stop altogether (e.g. every exit is blocked). */
export interface StopScrapingError extends Error {
  readonly stopScraping: true;
}

/** Progress events for the display. */
export type MinerEvent =
  | { type: "epoch"; epochId: string; zipcodes: number; deadline: string; source: string }
  | { type: "zip"; zipcode: string; rows: number; scraped: number; total: number }
  | { type: "zip_failed"; zipcode: string; reason: string }
  | { type: "upload"; uploaded: number; total: number }
  | { type: "completed"; epochId: string; rows: number; receiptAt: string | null };

/** What the runner needs. */
export interface EpochRunnerDeps {
  api: Pick<ApiClient, "status">;
  scrapeZip: ZipScraper;
  upload: (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;
  pair: KeyringPair;
  stateDir: string;
  now: () => number;
  log: Logger;
  onEvent?: (event: MinerEvent) => void;
  zipConcurrency: number;
  uploadEarly: boolean;
  /** A hook that may rewrite a ZIP's rows before they are written (localnet's cheating strategies). */
  transformRows?: (rows: ListingRecord[], zipcode: string) => ListingRecord[];
  /** Localnet's late strategy: hold every upload until this long after the deadline. */
  uploadDelayAfterDeadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How an epoch ended. */
export interface EpochOutcome {
  epochId: string;
  status: "completed" | "already_completed" | "missed_deadline" | "refused";
  zipsScraped: number;
  zipsAssigned: number;
  rows: number;
}

const DATA_FILE = "listings.parquet";
const STATUS_EVERY_ZIPS = 5;

/** Runs (or resumes) the epoch of `assignment`. */
export async function runEpoch(assignment: AssignmentResponse, deps: EpochRunnerDeps): Promise<EpochOutcome> {
  const { epochId, nonce } = assignment;
  const hotkey = deps.pair.address;
  const log = deps.log.child({ epochId });
  const state = openEpochState(deps.stateDir, epochId);
  await state.init();
  const zipcodes = assignment.zipcodes.map((z) => z.zipcode);
  const outcome = (status: EpochOutcome["status"], scraped: Map<string, ScrapedZip>): EpochOutcome => ({
    epochId,
    status,
    zipsScraped: scraped.size,
    zipsAssigned: zipcodes.length,
    rows: [...scraped.values()].reduce((a, z) => a + z.rows, 0),
  });
  if (await state.completed()) return outcome("already_completed", await state.scraped());

  const submissionDeadline = Date.parse(assignment.submissionDeadline);
  // Honest miners treat the submission deadline as final; only the late strategy moves its own.
  const deadline = submissionDeadline + (deps.uploadDelayAfterDeadlineMs ?? 0) * 2;
  const start = Date.parse(assignment.epochStart);
  // Keep a tenth of the window (10 s to 10 min) for uploading, manifest and status.
  const reserveMs = Math.min(600_000, Math.max(10_000, (submissionDeadline - start) / 10));
  const scraped = await state.scraped();
  const uploaded = new Set<string>();
  for (const zip of scraped.keys()) if (await state.isUploaded(zip)) uploaded.add(zip);

  const reportStatus = async (status: "IN_PROGRESS" | "FAILED") => {
    try {
      await deps.api.status({
        epochId,
        nonce,
        status,
        listingsScraped: [...scraped.values()].reduce((a, z) => a + z.rows, 0),
        zipcodesCompleted: [...scraped.values()].map((z) => ({
          zipcode: z.zipcode,
          listingsScraped: z.rows,
          completedAt: z.finishedAt,
        })),
        s3UploadComplete: false,
      });
    } catch (error) {
      log.warn("status update failed", { status, error }); // progress reports are best effort
    }
  };

  const upload = async (zip: string) => {
    const done = scraped.get(zip)!;
    if (uploaded.has(zip)) return;
    await deps.upload(done.key, await Deno.readFile(state.parquetPath(zip)), deadline);
    await state.markUploaded(zip, new Date(deps.now()).toISOString());
    uploaded.add(zip);
    deps.onEvent?.({ type: "upload", uploaded: uploaded.size, total: scraped.size });
  };

  // Scrape.
  const queue = zipcodes.filter((z) => !scraped.has(z));
  deps.onEvent?.({
    type: "epoch",
    epochId,
    zipcodes: zipcodes.length,
    deadline: assignment.submissionDeadline,
    source: "",
  });
  if (queue.length > 0) await reportStatus("IN_PROGRESS");
  const controller = new AbortController();
  let sinceStatus = 0;
  const worker = async () => {
    while (queue.length > 0 && !controller.signal.aborted) {
      if (deps.now() >= submissionDeadline - reserveMs) {
        log.warn("out of scraping time; uploading what is finished", { remaining: queue.length });
        controller.abort();
        return;
      }
      const zip = queue.shift()!;
      try {
        const raw = await deps.scrapeZip(zip, {
          epochId,
          nonce,
          minerHotkey: hotkey,
          signal: controller.signal,
        });
        const rows = deps.transformRows ? deps.transformRows(raw, zip) : raw;
        const file = await writeListingsParquet(rows, state.parquetPath(zip));
        const done: ScrapedZip = {
          zipcode: zip,
          key: minerDataKey(hotkey, epochId, zip, DATA_FILE),
          rows: file.rows,
          bytes: file.bytes,
          sha256: file.sha256,
          finishedAt: new Date(deps.now()).toISOString(),
        };
        await state.markScraped(done);
        scraped.set(zip, done);
        deps.onEvent?.({
          type: "zip",
          zipcode: zip,
          rows: done.rows,
          scraped: scraped.size,
          total: zipcodes.length,
        });
        if (++sinceStatus >= STATUS_EVERY_ZIPS) {
          sinceStatus = 0;
          await reportStatus("IN_PROGRESS");
        }
        if (deps.uploadEarly) await upload(zip);
      } catch (error) {
        if ((error as Partial<StopScrapingError>).stopScraping) {
          log.error("scraping stopped", { error });
          controller.abort();
          return;
        }
        if (!(error instanceof Error)) throw error;
        log.error("ZIP failed; it is retried on the next pass", { zipcode: zip, error });
        deps.onEvent?.({ type: "zip_failed", zipcode: zip, reason: error.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.zipConcurrency) }, worker));

  // Upload.
  if (deps.uploadDelayAfterDeadlineMs) {
    const wait = submissionDeadline + deps.uploadDelayAfterDeadlineMs - deps.now();
    if (wait > 0) await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
  }
  for (const zip of [...scraped.keys()].sort()) {
    if (deps.now() >= deadline) break;
    try {
      await upload(zip);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      log.error("upload failed", { zipcode: zip, error });
    }
  }
  if (deps.now() >= deadline || uploaded.size === 0) {
    log.error("epoch missed: nothing more may be uploaded", {
      uploaded: uploaded.size,
      scraped: scraped.size,
    });
    if (deps.now() < Date.parse(assignment.epochEnd)) await reportStatus("FAILED");
    return outcome("missed_deadline", scraped);
  }

  // Manifest and COMPLETED.
  const files = [...uploaded].sort().map((zip) => scraped.get(zip)!);
  let manifest = await state.readManifest();
  if (!manifest || !manifestCovers(manifest.text, files)) {
    const body: ManifestBody = {
      version: 1,
      epoch_id: epochId,
      miner_hotkey: hotkey,
      created_at: new Date(deps.now()).toISOString(),
      files: files.map((f) => ({
        key: f.key,
        zipcode: f.zipcode,
        sha256: f.sha256,
        rows: f.rows,
        bytes: f.bytes,
      })),
      total_rows: files.reduce((a, f) => a + f.rows, 0),
    };
    manifest = encodeManifest(signManifest(deps.pair, body));
    await state.writeManifest(manifest);
  }
  if (!(await state.isManifestUploaded())) {
    await deps.upload(minerManifestKey(hotkey, epochId), new TextEncoder().encode(manifest.text), deadline);
    await state.markManifestUploaded(new Date(deps.now()).toISOString());
  }
  // The receipt is what speed is ranked on, so COMPLETED is retried (the API may be briefly down) until
  // the deadline; after it a receipt would be late anyway.
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let answer: Awaited<ReturnType<EpochRunnerDeps["api"]["status"]>> | null = null;
  for (let attempt = 0; answer === null; attempt++) {
    try {
      answer = await deps.api.status({
        epochId,
        nonce,
        status: "COMPLETED",
        listingsScraped: files.reduce((a, f) => a + f.rows, 0),
        zipcodesCompleted: files.map((f) => ({
          zipcode: f.zipcode,
          listingsScraped: f.rows,
          completedAt: f.finishedAt,
        })),
        s3UploadComplete: true,
        s3UploadTimestamp: new Date(deps.now()).toISOString(),
        manifestSha256: manifest.sha256,
      });
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      if (error instanceof ApiClientError && error.status < 500) {
        log.error("the API refused COMPLETED", { error });
        return outcome("refused", scraped);
      }
      if (deps.now() >= deadline) {
        log.error("COMPLETED could not be reported before the deadline", { error });
        return outcome("missed_deadline", scraped);
      }
      log.warn("COMPLETED not accepted yet; retrying", { error, attempt });
      await sleep(Math.min(10_000, 500 * 2 ** attempt));
    }
  }
  await state.markCompleted(answer.receipt ?? null, new Date(deps.now()).toISOString());
  deps.onEvent?.({
    type: "completed",
    epochId,
    rows: files.reduce((a, f) => a + f.rows, 0),
    receiptAt: answer.receipt?.receivedAt ?? null,
  });
  log.info("epoch completed", {
    files: files.length,
    rows: files.reduce((a, f) => a + f.rows, 0),
    receipt: answer.receipt?.receivedAt,
  });
  return outcome("completed", scraped);
}

/** True when a stored manifest lists exactly `files` (same keys and hashes). */
function manifestCovers(text: string, files: readonly ScrapedZip[]): boolean {
  const listed: { key: string; sha256: string }[] = JSON.parse(text).manifest.files;
  return listed.length === files.length &&
    listed.every((f, i) => f.key === files[i].key && f.sha256 === files[i].sha256);
}
