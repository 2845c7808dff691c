/**
 * The miner's durable state for one epoch, under `MINER_STATE_DIR/epochs/{epochId}/`:
 *
 *   zips/{zip}.parquet      the scraped rows of one ZIP
 *   zips/{zip}.done.json    written after the Parquet file: the ZIP is finished (rows, bytes, SHA-256)
 *   uploaded/{zip}.json     the file is in S3
 *   manifest.json           the signed manifest (canonical JSON, exactly the uploaded bytes)
 *   manifest.uploaded.json  the manifest is in S3
 *   completed.json          the API acknowledged COMPLETED (its receipt)
 *   parts/{part}.json       an early part (UPLOAD_EARLY): its files' keys, manifest, upload and receipt
 *
 * Every marker is written after the thing it marks, so after a crash the miner resumes without
 * re-scraping a finished ZIP and without trusting a file that was never finished.
 * @module
 */
import { join } from "node:path";
import type { SubmissionReceipt } from "../../shared/schemas/zipcode_assignments.ts";
import { readJsonOrNull, writeJsonAtomic } from "../../shared/adapters/node/json_file.ts";

/** A finished ZIP's file. */
export interface ScrapedZip {
  zipcode: string;
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
  finishedAt: string;
}

/** An early part's record: written once its manifest is signed, updated as it is uploaded and receipted. */
export interface PartRecord {
  part: number;
  keys: string[];
  manifest: { text: string; sha256: string };
  uploaded: boolean;
  receipt: SubmissionReceipt | null;
}

/** The state of one epoch. */
export type EpochState = ReturnType<typeof openEpochState>;

/** Opens (and creates) the state folder of `epochId` under `root`. */
export function openEpochState(root: string, epochId: string) {
  const dir = join(root, "epochs", epochId);
  const zipsDir = join(dir, "zips");
  const parquetPath = (zip: string) => join(zipsDir, `${zip}.parquet`);
  const donePath = (zip: string) => join(zipsDir, `${zip}.done.json`);
  const uploadedPath = (zip: string) => join(dir, "uploaded", `${zip}.json`);
  const partsDir = join(dir, "parts");

  return {
    dir,
    parquetPath,
    async init(): Promise<void> {
      await Deno.mkdir(zipsDir, { recursive: true });
    },
    /** Every finished ZIP, by zipcode. */
    async scraped(): Promise<Map<string, ScrapedZip>> {
      const out = new Map<string, ScrapedZip>();
      try {
        for await (const entry of Deno.readDir(zipsDir)) {
          if (!entry.name.endsWith(".done.json")) continue;
          const done = await readJsonOrNull<ScrapedZip>(join(zipsDir, entry.name));
          if (done) out.set(done.zipcode, done);
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      return out;
    },
    markScraped: (done: ScrapedZip) => writeJsonAtomic(donePath(done.zipcode), done),
    isUploaded: async (zip: string) => (await readJsonOrNull(uploadedPath(zip))) !== null,
    markUploaded: (zip: string, atIso: string) => writeJsonAtomic(uploadedPath(zip), { at: atIso }),
    readManifest: () => readJsonOrNull<{ text: string; sha256: string }>(join(dir, "manifest.json")),
    writeManifest: (manifest: { text: string; sha256: string }) =>
      writeJsonAtomic(join(dir, "manifest.json"), manifest),
    isManifestUploaded: async () => (await readJsonOrNull(join(dir, "manifest.uploaded.json"))) !== null,
    markManifestUploaded: (atIso: string) =>
      writeJsonAtomic(join(dir, "manifest.uploaded.json"), { at: atIso }),
    /** Every early part recorded so far, by part index. */
    async parts(): Promise<PartRecord[]> {
      const out: PartRecord[] = [];
      try {
        for await (const entry of Deno.readDir(partsDir)) {
          const record = entry.name.endsWith(".json")
            ? await readJsonOrNull<PartRecord>(join(partsDir, entry.name))
            : null;
          if (record) out.push(record);
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      return out.sort((a, b) => a.part - b.part);
    },
    writePart: (record: PartRecord) =>
      writeJsonAtomic(join(partsDir, `${String(record.part).padStart(4, "0")}.json`), record),
    completed: () =>
      readJsonOrNull<{ receipt: SubmissionReceipt | null; at: string }>(join(dir, "completed.json")),
    markCompleted: (receipt: SubmissionReceipt | null, atIso: string) =>
      writeJsonAtomic(join(dir, "completed.json"), { receipt, at: atIso }),
  };
}

/** Deletes the state of epochs other than the newest `keep` (by id, which sorts by time). */
export async function pruneEpochStates(root: string, keep: number): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, "epochs"))) if (entry.isDirectory) ids.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const old = ids.sort().slice(0, Math.max(0, ids.length - keep));
  for (const id of old) await Deno.remove(join(root, "epochs", id), { recursive: true });
  return old;
}
