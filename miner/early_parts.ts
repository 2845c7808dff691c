/**
 * Early parts (UPLOAD_EARLY): while scraping, every few uploaded ZIPs become a signed part manifest at
 * `data/hotkey={hk}/epoch={id}/parts/{part}.json` with its own receipt, so a listing is credited from the
 * moment its part was receipted rather than from the end of the epoch. Parts are best effort (a failed
 * one is retried with the next, and the whole `manifest.json` still closes the epoch), at most
 * `MAX_EARLY_PARTS` of them, so the API's MAX_MANIFEST_PARTS (default 16) always leaves room for the whole
 * manifest. Submissions are serialised, and each part's record is stored before it is sent, so a restart
 * resumes a part instead of signing a different one under the same key.
 * @module
 */
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { minerPartManifestKey } from "../shared/s3_keys.ts";
import type { ManifestBody } from "../shared/schemas/manifest.ts";
import type { PartRecord, ScrapedZip } from "./state/epoch_state.ts";
import { type EpochRun, reportCompleted } from "./epoch_runner.ts";

/** Parts per epoch at most, leaving room below the API's MAX_MANIFEST_PARTS for the whole manifest. */
export const MAX_EARLY_PARTS = 8;
const MIN_PART_ZIPS = 5;

/** The early parts of one run. */
export interface EarlyParts {
  /** Called after each early upload: submits a part when enough uploaded ZIPs are in none yet. */
  offer(): void;
  /** Resolves once every offered submission has finished. */
  settled(): Promise<void>;
  count(): number;
}

/** Signs and encodes a manifest over `files`. */
export function buildManifest(
  run: Pick<EpochRun, "epochId" | "hotkey" | "deps">,
  files: readonly ScrapedZip[],
): { text: string; sha256: string } {
  const body: ManifestBody = {
    version: 1,
    epoch_id: run.epochId,
    miner_hotkey: run.hotkey,
    created_at: run.deps.clock.now().toISOString(),
    files: files.map((f) => ({
      key: f.key,
      zipcode: f.zipcode,
      sha256: f.sha256,
      rows: f.rows,
      bytes: f.bytes,
    })),
    total_rows: files.reduce((a, f) => a + f.rows, 0),
  };
  return encodeManifest(signManifest(run.deps.pair, body));
}

/** Opens the early parts of `run` from its state (resuming unfinished ones on the first offer). */
export async function openEarlyParts(run: Omit<EpochRun, "parts">): Promise<EarlyParts> {
  const records = await run.state.parts();
  const partZips = run.deps.earlyPartZips ??
    Math.max(MIN_PART_ZIPS, Math.ceil(run.zipcodes.length / MAX_EARLY_PARTS));
  let chain = Promise.resolve();

  /** Uploads and receipts `records[i]`, storing each step. */
  async function finish(i: number): Promise<void> {
    const update = async (change: Partial<PartRecord>) => {
      records[i] = { ...records[i], ...change };
      await run.state.writePart(records[i]);
    };
    const record = records[i];
    const key = minerPartManifestKey(run.hotkey, run.epochId, record.part);
    if (!record.uploaded) {
      await run.deps.upload(key, new TextEncoder().encode(record.manifest.text), run.deadline);
      await update({ uploaded: true });
    }
    if (record.receipt) return;
    const byKey = new Map([...run.scraped.values()].map((z) => [z.key, z]));
    const files = record.keys.map((k) => byKey.get(k)!);
    const answer = await reportCompleted(
      run as EpochRun,
      files,
      { key, sha256: record.manifest.sha256 },
      false,
    );
    if (answer && typeof answer === "object") await update({ receipt: answer });
  }

  async function submitDue(): Promise<void> {
    for (let i = 0; i < records.length; i++) if (!records[i].receipt) await finish(i);
    const inParts = new Set(records.flatMap((r) => r.keys));
    const pending = [...run.uploaded].sort().map((z) => run.scraped.get(z)!).filter((z) =>
      !inParts.has(z.key)
    );
    if (pending.length < partZips || records.length >= MAX_EARLY_PARTS) return;
    const files = pending.slice(0, partZips);
    const record: PartRecord = {
      part: records.length,
      keys: files.map((f) => f.key),
      manifest: buildManifest(run, files),
      uploaded: false,
      receipt: null,
    };
    await run.state.writePart(record);
    records.push(record);
    await finish(records.length - 1);
  }

  return {
    offer() {
      chain = chain.then(submitDue).catch((error) => {
        if (!(error instanceof Error)) throw error;
        run.log.warn("early part not submitted; it is retried with the next", { error });
      });
    },
    settled: () => chain,
    count: () => records.length,
  };
}
