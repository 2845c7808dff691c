/**
 * The deterministic budget of one miner's upload, judged from the signed manifest and the S3 listing
 * before a single data file is downloaded: every validator sees the same listing and manifest, so every
 * validator refuses the same uploads with the same reason. The limits derive from the epoch's expected
 * listings (the assignment's total, which the API derives from TARGET_LISTINGS) and a bytes-per-row bound,
 * so a miner can never make a validator download or decode more than a small multiple of an honest upload.
 * @module
 */
import type { ListedObject } from "./s3_list_xml.ts";

/** What one miner's upload may take. */
export interface UploadLimits {
  /** Data files the manifest may name. */
  maxFiles: number;
  /** Rows the manifest (and then the Parquet footers) may claim in total. */
  maxRows: number;
  /** Listed bytes of the named files in total. */
  maxBytes: number;
  /** Listed bytes of one file (MAX_MINER_FILE_BYTES). */
  maxFileBytes: number;
}

/** The knobs the limits derive from. */
export interface BudgetKnobs {
  MAX_MINER_FILES: number;
  UPLOAD_ROWS_FACTOR: number;
  MAX_ROW_BYTES: number;
  MAX_MINER_FILE_BYTES: number;
}

/** The limits of an epoch whose assignment expects `expectedListings` in total. */
export function uploadLimits(expectedListings: number, knobs: BudgetKnobs): UploadLimits {
  const maxRows = Math.max(1, expectedListings) * knobs.UPLOAD_ROWS_FACTOR;
  return {
    maxFiles: knobs.MAX_MINER_FILES,
    maxRows,
    maxBytes: maxRows * knobs.MAX_ROW_BYTES,
    maxFileBytes: knobs.MAX_MINER_FILE_BYTES,
  };
}

/** One file as the manifest declares it. */
export interface DeclaredFile {
  key: string;
  rows: number;
  bytes: number;
}

/**
 * Why the upload exceeds its budget (`"<what> ..."`), or null when it fits. Files missing from the listing
 * are not counted here (integrity names them, and any file over `maxFileBytes`, which gathering skips); a
 * listed size that differs from the declared one means the file changed after the manifest was signed, so
 * it is refused before download too.
 */
export function budgetProblem(
  files: readonly DeclaredFile[],
  objects: ReadonlyMap<string, ListedObject>,
  limits: UploadLimits,
): string | null {
  if (files.length > limits.maxFiles) {
    return `${files.length} files exceed the limit of ${limits.maxFiles}`;
  }
  let rows = 0;
  let bytes = 0;
  for (const file of files) {
    rows += file.rows;
    const object = objects.get(file.key);
    if (!object) continue;
    if (object.size !== file.bytes) {
      return `${file.key} is ${object.size} bytes in the listing, the manifest declares ${file.bytes}`;
    }
    bytes += object.size;
  }
  if (rows > limits.maxRows) return `${rows} rows claimed exceed the limit of ${limits.maxRows}`;
  if (bytes > limits.maxBytes) return `${bytes} bytes in total exceed the limit of ${limits.maxBytes}`;
  return null;
}
