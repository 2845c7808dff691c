/**
 * One epoch of mining, resumable at every step, in phases:
 *
 * 1. scrape each assigned ZIP not yet finished (a few at a time, leaving a reserve before the deadline for
 *    uploads), write its Parquet file and mark it finished; with UPLOAD_EARLY upload it at once and, every
 *    few ZIPs, submit an early part (`parts/{part}.json` with its own receipt, `early_parts.ts`);
 * 2. upload what is not uploaded yet;
 * 3. sign and upload the whole manifest (`manifest.json`, every uploaded file) and report COMPLETED with
 *    its key and SHA-256, which earns the API's server-timed receipt.
 *
 * Nothing is uploaded after the deadline (the API's upload policies end there anyway).
 * @module
 */
import { type ApiClient, ApiClientError } from "../shared/api_client.ts";
import type { Logger } from "../shared/log.ts";
import { minerDataKey, minerManifestKey } from "../shared/s3_keys.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";
import type { AssignmentResponse, SubmissionReceipt } from "../shared/schemas/zipcode_assignments.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { writeListingsParquet } from "../shared/adapters/duckdb/listings_parquet.ts";
import { type EpochState, openEpochState, type ScrapedZip } from "./state/epoch_state.ts";
import { buildManifest, type EarlyParts, openEarlyParts } from "./early_parts.ts";
import type { Clock } from "../shared/ports.ts";

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
  clock: Clock;
  log: Logger;
  onEvent?: (event: MinerEvent) => void;
  zipConcurrency: number;
  uploadEarly: boolean;
  /** ZIPs per early part (default: enough for at most MAX_EARLY_PARTS parts, at least 5). */
  earlyPartZips?: number;
  /** A hook that may rewrite a ZIP's rows before they are written (localnet's cheating strategies). */
  transformRows?: (rows: ListingRecord[], zipcode: string) => ListingRecord[] | Promise<ListingRecord[]>;
  /** Localnet's partial strategy: the assigned ZIPs it scrapes (default all). */
  selectZips?: (zipcodes: AssignmentResponse["zipcodes"]) => string[];
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

/** One run of an epoch: its assignment, dependencies, state and what is finished so far. */
export interface EpochRun {
  assignment: AssignmentResponse;
  deps: EpochRunnerDeps;
  log: Logger;
  state: EpochState;
  epochId: string;
  hotkey: string;
  zipcodes: string[];
  submissionDeadline: number;
  /** The last moment anything is sent (the submission deadline, except for the late strategy). */
  deadline: number;
  scraped: Map<string, ScrapedZip>;
  uploaded: Set<string>;
  parts: EarlyParts;
}

/** Runs (or resumes) the epoch of `assignment`. */
export async function runEpoch(assignment: AssignmentResponse, deps: EpochRunnerDeps): Promise<EpochOutcome> {
  const run = await openRun(assignment, deps);
  if (await run.state.completed()) return outcome(run, "already_completed");
  deps.onEvent?.({
    type: "epoch",
    epochId: run.epochId,
    zipcodes: run.zipcodes.length,
    deadline: assignment.submissionDeadline,
    source: "",
  });
  await scrapePhase(run);
  await run.parts.settled();
  await uploadPhase(run);
  if (deps.clock.now().getTime() >= run.deadline || run.uploaded.size === 0) {
    run.log.error("epoch missed: nothing more may be uploaded", {
      uploaded: run.uploaded.size,
      scraped: run.scraped.size,
    });
    if (deps.clock.now().getTime() < Date.parse(assignment.epochEnd)) await reportProgress(run, "FAILED");
    return outcome(run, "missed_deadline");
  }
  return await completePhase(run);
}

async function openRun(assignment: AssignmentResponse, deps: EpochRunnerDeps): Promise<EpochRun> {
  const { epochId } = assignment;
  const state = openEpochState(deps.stateDir, epochId);
  await state.init();
  const submissionDeadline = Date.parse(assignment.submissionDeadline);
  const scraped = await state.scraped();
  const uploaded = new Set<string>();
  for (const zip of scraped.keys()) if (await state.isUploaded(zip)) uploaded.add(zip);
  const run: Omit<EpochRun, "parts"> = {
    assignment,
    deps,
    log: deps.log.child({ epochId }),
    state,
    epochId,
    hotkey: deps.pair.address,
    zipcodes: deps.selectZips?.(assignment.zipcodes) ?? assignment.zipcodes.map((z) => z.zipcode),
    submissionDeadline,
    // Honest miners treat the submission deadline as final; only the late strategy moves its own.
    deadline: submissionDeadline + (deps.uploadDelayAfterDeadlineMs ?? 0) * 2,
    scraped,
    uploaded,
  };
  return { ...run, parts: await openEarlyParts(run) };
}

function outcome(run: EpochRun, status: EpochOutcome["status"]): EpochOutcome {
  return {
    epochId: run.epochId,
    status,
    zipsScraped: run.scraped.size,
    zipsAssigned: run.zipcodes.length,
    rows: [...run.scraped.values()].reduce((a, z) => a + z.rows, 0),
  };
}

/** Best-effort progress report (IN_PROGRESS or FAILED). */
async function reportProgress(run: EpochRun, status: "IN_PROGRESS" | "FAILED"): Promise<void> {
  const done = [...run.scraped.values()];
  try {
    await run.deps.api.status({
      epochId: run.epochId,
      nonce: run.assignment.nonce,
      status,
      listingsScraped: done.reduce((a, z) => a + z.rows, 0),
      zipcodesCompleted: done.map((z) => ({
        zipcode: z.zipcode,
        listingsScraped: z.rows,
        completedAt: z.finishedAt,
      })),
      s3UploadComplete: false,
    });
  } catch (error) {
    run.log.warn("status update failed", { status, error }); // progress reports are best effort
  }
}

/** Uploads one finished ZIP's file (once). */
async function uploadZip(run: EpochRun, zip: string): Promise<void> {
  if (run.uploaded.has(zip)) return;
  const done = run.scraped.get(zip)!;
  await run.deps.upload(done.key, await Deno.readFile(run.state.parquetPath(zip)), run.deadline);
  await run.state.markUploaded(zip, run.deps.clock.now().toISOString());
  run.uploaded.add(zip);
  run.deps.onEvent?.({ type: "upload", uploaded: run.uploaded.size, total: run.scraped.size });
}

/** Phase 1: scrape every unfinished ZIP with `zipConcurrency` workers until the reserve before the deadline. */
async function scrapePhase(run: EpochRun): Promise<void> {
  const queue = run.zipcodes.filter((z) => !run.scraped.has(z));
  if (queue.length === 0) return;
  await reportProgress(run, "IN_PROGRESS");
  const start = Date.parse(run.assignment.epochStart);
  // Keep a tenth of the window (10 s to 10 min) for uploading, manifest and status.
  const reserveMs = Math.min(600_000, Math.max(10_000, (run.submissionDeadline - start) / 10));
  const controller = new AbortController();
  const progress = { sinceStatus: 0 };
  const worker = async () => {
    while (queue.length > 0 && !controller.signal.aborted) {
      if (run.deps.clock.now().getTime() >= run.submissionDeadline - reserveMs) {
        run.log.warn("out of scraping time; uploading what is finished", { remaining: queue.length });
        controller.abort();
        return;
      }
      if (!(await scrapeOne(run, queue.shift()!, controller, progress))) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, run.deps.zipConcurrency) }, worker));
}

/** Scrapes, writes and (with UPLOAD_EARLY) uploads one ZIP; false when scraping must stop altogether. */
async function scrapeOne(
  run: EpochRun,
  zip: string,
  controller: AbortController,
  progress: { sinceStatus: number },
): Promise<boolean> {
  const { deps } = run;
  try {
    const raw = await deps.scrapeZip(zip, {
      epochId: run.epochId,
      nonce: run.assignment.nonce,
      minerHotkey: run.hotkey,
      signal: controller.signal,
    });
    const rows = deps.transformRows ? await deps.transformRows(raw, zip) : raw;
    const file = await writeListingsParquet(rows, run.state.parquetPath(zip));
    const done: ScrapedZip = {
      zipcode: zip,
      key: minerDataKey(run.hotkey, run.epochId, zip, DATA_FILE),
      rows: file.rows,
      bytes: file.bytes,
      sha256: file.sha256,
      finishedAt: deps.clock.now().toISOString(),
    };
    await run.state.markScraped(done);
    run.scraped.set(zip, done);
    deps.onEvent?.({
      type: "zip",
      zipcode: zip,
      rows: done.rows,
      scraped: run.scraped.size,
      total: run.zipcodes.length,
    });
    if (++progress.sinceStatus >= STATUS_EVERY_ZIPS) {
      progress.sinceStatus = 0;
      await reportProgress(run, "IN_PROGRESS");
    }
    if (deps.uploadEarly) {
      await uploadZip(run, zip);
      run.parts.offer();
    }
  } catch (error) {
    if ((error as Partial<StopScrapingError>).stopScraping) {
      run.log.error("scraping stopped", { error });
      controller.abort();
      return false;
    }
    if (!(error instanceof Error)) throw error;
    run.log.error("ZIP failed; it is retried on the next pass", { zipcode: zip, error });
    deps.onEvent?.({ type: "zip_failed", zipcode: zip, reason: error.message });
  }
  return true;
}

/** Phase 2: upload every finished file not uploaded yet, while the deadline allows. */
async function uploadPhase(run: EpochRun): Promise<void> {
  const { deps } = run;
  if (deps.uploadDelayAfterDeadlineMs) {
    const wait = run.submissionDeadline + deps.uploadDelayAfterDeadlineMs - deps.clock.now().getTime();
    if (wait > 0) await sleepOf(deps)(wait);
  }
  for (const zip of [...run.scraped.keys()].sort()) {
    if (deps.clock.now().getTime() >= run.deadline) break;
    try {
      await uploadZip(run, zip);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      run.log.error("upload failed", { zipcode: zip, error });
    }
  }
}

/** Phase 3: the whole manifest, uploaded, then COMPLETED (retried until the deadline). */
async function completePhase(run: EpochRun): Promise<EpochOutcome> {
  const { deps, state } = run;
  const files = [...run.uploaded].sort().map((zip) => run.scraped.get(zip)!);
  let manifest = await state.readManifest();
  if (!manifest || !manifestCovers(manifest.text, files)) {
    manifest = buildManifest(run, files);
    await state.writeManifest(manifest);
  }
  const manifestKey = minerManifestKey(run.hotkey, run.epochId);
  if (!(await state.isManifestUploaded())) {
    await deps.upload(manifestKey, new TextEncoder().encode(manifest.text), run.deadline);
    await state.markManifestUploaded(deps.clock.now().toISOString());
  }
  const answer = await reportCompleted(run, files, { key: manifestKey, sha256: manifest.sha256 }, true);
  if (answer === "refused" || answer === "missed_deadline") return outcome(run, answer);
  const rows = files.reduce((a, f) => a + f.rows, 0);
  await state.markCompleted(answer, deps.clock.now().toISOString());
  deps.onEvent?.({ type: "completed", epochId: run.epochId, rows, receiptAt: answer?.receivedAt ?? null });
  run.log.info("epoch completed", {
    files: files.length,
    rows,
    receipt: answer?.receivedAt,
    parts: run.parts.count(),
  });
  return outcome(run, "completed");
}

/**
 * Reports COMPLETED for one uploaded manifest. The receipt is what speed is ranked on, so with `retry`
 * it is retried (the API may be briefly down) until the deadline; after it a receipt would be late anyway.
 */
export async function reportCompleted(
  run: EpochRun,
  files: readonly ScrapedZip[],
  manifest: { key: string; sha256: string },
  retry: boolean,
): Promise<SubmissionReceipt | null | "refused" | "missed_deadline"> {
  const { deps, log } = run;
  for (let attempt = 0;; attempt++) {
    try {
      const answer = await deps.api.status({
        epochId: run.epochId,
        nonce: run.assignment.nonce,
        status: "COMPLETED",
        listingsScraped: files.reduce((a, f) => a + f.rows, 0),
        zipcodesCompleted: files.map((f) => ({
          zipcode: f.zipcode,
          listingsScraped: f.rows,
          completedAt: f.finishedAt,
        })),
        s3UploadComplete: true,
        s3UploadTimestamp: deps.clock.now().toISOString(),
        manifestSha256: manifest.sha256,
        manifestKey: manifest.key,
      });
      return answer.receipt ?? null;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      if (error instanceof ApiClientError && error.status < 500) {
        log.error("the API refused COMPLETED", { error, manifestKey: manifest.key });
        return "refused";
      }
      if (!retry || deps.clock.now().getTime() >= run.deadline) {
        log.error("COMPLETED could not be reported before the deadline", { error });
        return "missed_deadline";
      }
      log.warn("COMPLETED not accepted yet; retrying", { error, attempt });
      await sleepOf(deps)(Math.min(10_000, 500 * 2 ** attempt));
    }
  }
}

function sleepOf(deps: EpochRunnerDeps): (ms: number) => Promise<void> {
  return deps.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
}

/** True when a stored manifest lists exactly `files` (same keys and hashes). */
function manifestCovers(text: string, files: readonly ScrapedZip[]): boolean {
  const listed: { key: string; sha256: string }[] = JSON.parse(text).manifest.files;
  return listed.length === files.length &&
    listed.every((f, i) => f.key === files[i].key && f.sha256 === files[i].sha256);
}
