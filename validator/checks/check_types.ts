/**
 * The shapes of the validator's data checks: what `checkMinerFiles` takes and returns, and what the
 * staging (DuckDB I/O, `staging.ts`) hands to the pure verdicts (`verdicts.ts`).
 * @module
 */
import type { CheckName } from "./check_rules.ts";

/**
 * What the epoch assigned for one ZIP. The checks use the state and the centre; `expected` (volume) is the
 * scorer's business and `city` is not compared (the site's city differs from USPS's in NYC boroughs).
 */
export interface AssignedZip {
  expected: number;
  state: string;
  city?: string;
  /** The ZIP centre; rows are judged against it only when both are known. */
  latitude?: number | null;
  longitude?: number | null;
}

/** One downloaded data file of the miner's manifest. */
export interface MinerFile {
  /** Local path of the downloaded copy. */
  path: string;
  /** Its object key (named in reasons). */
  key: string;
  /** The ZIP of the key's `zipcode=` partition. */
  zipcode: string;
  /** The row count the signed manifest claims. */
  expectedRows: number;
  /** The receipt (ms) of the part the file is credited to: no row may be scraped after it. */
  scrapedByMs?: number;
}

/** Everything the checks of one miner need. */
export interface MinerFilesInput {
  hotkey: string;
  epochId: string;
  nonce: string;
  /** Scrape times must lie in [startMs, endMs). */
  startMs: number;
  endMs: number;
  assigned: ReadonlyMap<string, AssignedZip>;
  files: readonly MinerFile[];
  /** MAX_MINER_FILE_BYTES: larger files are refused unread. */
  maxFileBytes: number;
}

/** The verdict of one check. */
export interface CheckOutcome {
  name: CheckName;
  ok: boolean;
  /** True when a failure of this check scores the miner 0. */
  fatal: boolean;
  detail: string;
}

/** What the miner's readable files hold. */
export interface MinerCounts {
  rows: number;
  /** Distinct zpids. */
  uniqueListings: number;
  /** Rows repeating a zpid already counted. */
  duplicates: number;
  /** Distinct zpids per ZIP partition, every assigned ZIP included (sorted by ZIP). */
  perZipcode: Record<string, number>;
  /**
   * Distinct zpids in a for-sale status (`FOR_SALE_STATUSES`) per ZIP partition, every assigned ZIP
   * included: what volume, speed and calibration count. Absent in records of older versions.
   */
  forSalePerZipcode?: Record<string, number>;
}

/** One scanned file's listings: all of them and those for sale (repeats make the miner fail anyway). */
export interface FileListings {
  key: string;
  zipcode: string;
  listings: number;
  forSale: number;
}

/** The result of one miner's checks. */
export interface MinerCheckResult {
  hotkey: string;
  epochId: string;
  /** Fatal checks in priority order, then the quality checks. */
  checks: CheckOutcome[];
  counts: MinerCounts;
  /** Fixed-point shares (0..SCALE). */
  quality: { completeness: number; plausibility: number };
  /** Distinct zpids of the readable files, sorted by code unit. */
  zpids: string[];
  /** Per scanned file, in manifest order. Absent in records of older versions. */
  perFile?: FileListings[];
  /** `"<check>: <detail>"` of the first failed fatal check, or null when the miner may score. */
  zeroReason: string | null;
}

/** Per-file counts of `sql/check_rows.sql`. */
export type FileFlags = Record<string, number | null>;

/** What the aggregate scan found over the good files. */
export interface Scan {
  nonNull: Map<string, Map<string, number>>;
  /** Non-null values per column over the for-sale rows only, by path (completeness counts these). */
  nonNullForSale: Map<string, Map<string, number>>;
  flags: Map<string, FileFlags>;
  perZip: Map<string, number>;
  rowsWithZpid: number;
  unique: number;
  repeated: number;
  examples: string[];
  zpids: string[];
  /** Non-null zpids of each file, by path. */
  zpidsPerFile: Map<string, number>;
}

/** Everything the staging found, stage by stage: the verdicts' only input besides `MinerFilesInput`. */
export interface Findings {
  timedOut: boolean;
  /** Problems of the files check, by key. */
  files: Map<string, string>;
  schema: Map<string, string>;
  rowCounts: Map<string, string>;
  footerRows: Map<string, number>;
  scanned: MinerFile[];
  scan: Scan | null;
}

/** Findings before any stage ran. */
export function emptyFindings(): Findings {
  return {
    timedOut: false,
    files: new Map(),
    schema: new Map(),
    rowCounts: new Map(),
    footerRows: new Map(),
    scanned: [],
    scan: null,
  };
}
