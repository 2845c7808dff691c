/**
 * The validator's data checks of one miner's upload for one epoch, with native DuckDB over the Parquet
 * files the validator downloaded (`sql/check_*.sql` and friends). Files are judged in stages, cheapest
 * first: size and magic (no reader), footers (row counts, schema fingerprints), schema, then one
 * aggregate scan over all of the miner's good files at once (one small file per ZIP makes opening column
 * chunks the main cost, so every column is decoded exactly once). A file that fails a stage is left out
 * of the later ones, so one bad file is named precisely and the rest are still measured.
 *
 * A failed check is a value, never an exception: a missing, huge, foreign, corrupt or stalling file
 * yields a result with `zeroReason` set. Only the caller's own mistakes (malformed input) throw. Which
 * checks are fatal, their priority and the plausibility bounds are in `check_rules.ts`.
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { ratio } from "../../shared/fixed_point.ts";
import { LISTING_COLUMNS, LISTING_SQL_TYPES } from "../../shared/schemas/listing.ts";
import {
  type CheckName,
  COMPLETENESS_FLOOR,
  DEFAULT_MAX_ROWS,
  DEFAULT_TIMEOUT_MS,
  FATAL_CHECKS,
  HOME_TYPES,
  LISTING_STATUSES,
  OPTIONAL_COLUMNS,
  PLAUSIBILITY,
  QUALITY_CHECKS,
  REQUIRED_COLUMNS,
} from "./check_rules.ts";
import { CheckDeadlineError, type DuckSession, openSession, type Row } from "./duck_session.ts";
import { probeParquetFile } from "./file_probe.ts";

export { crossMinerUnique } from "./cross_miner_unique.ts";
export type { CheckName } from "./check_rules.ts";

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

/** Options of `checkMinerFiles`. */
export interface CheckOptions {
  /**
   * A DuckDB instance to share across calls (one connection per call; see `createChecksInstance`);
   * default: a private one, closed before returning.
   */
  instance?: DuckDBInstance;
  /** Time limit of the whole call. @default {120000} */
  timeoutMs?: number;
  /** Most rows (by the footers) the miner's files may hold in total. @default {1000000} */
  maxRows?: number;
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
  /** `"<check>: <detail>"` of the first failed fatal check, or null when the miner may score. */
  zeroReason: string | null;
}

/** Per-file counts of `sql/check_rows.sql`. */
type FileFlags = Record<string, number | null>;

/** What the aggregate scan found over the good files. */
interface Scan {
  nonNull: Map<string, Map<string, number>>;
  flags: Map<string, FileFlags>;
  perZip: Map<string, number>;
  rowsWithZpid: number;
  unique: number;
  repeated: number;
  examples: string[];
  zpids: string[];
}

/** Everything found, stage by stage. */
interface Findings {
  timedOut: boolean;
  /** Problems of the files check, by key. */
  files: Map<string, string>;
  schema: Map<string, string>;
  rowCounts: Map<string, string>;
  footerRows: Map<string, number>;
  scanned: MinerFile[];
  scan: Scan | null;
}

/** DuckDB's memory cap in instances the checks create. */
const DEFAULT_MEMORY_LIMIT = "1GB";
const MAX_LISTED = 3;
const MAX_EXAMPLES = 5;
const LISTING_NAMES: ReadonlySet<string> = new Set(LISTING_COLUMNS);
const MAX_MESSAGE = 200;
const PROBE_BATCH = 32;

/**
 * A DuckDB instance set up for the checks, to share across miners (`CheckOptions.instance`; the caller
 * closes it). Memory is capped so a bomb file fails instead of swapping the validator, and the external
 * file cache is off: every miner's files are read once, so caching them only grows memory (measured: 1 GB
 * and 30% slower over 256 miners).
 */
export function createChecksInstance(
  options: { memoryLimit?: string; threads?: number } = {},
): Promise<DuckDBInstance> {
  return DuckDBInstance.create(":memory:", {
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    enable_external_file_cache: "false",
    ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
  });
}

/**
 * Checks one miner's downloaded files for one epoch. Never throws for anything in the files; throws
 * `RangeError` for malformed input (duplicate paths, bad limits or window).
 */
export async function checkMinerFiles(
  input: MinerFilesInput,
  options: CheckOptions = {},
): Promise<MinerCheckResult> {
  assertInput(input);
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 0) {
    throw new RangeError(`Invalid maxRows "${maxRows}": expected a non-negative integer`);
  }
  const own = options.instance ? null : await createChecksInstance();
  try {
    const session = await openSession(options.instance ?? own!, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const findings: Findings = {
      timedOut: false,
      files: new Map(),
      schema: new Map(),
      rowCounts: new Map(),
      footerRows: new Map(),
      scanned: [],
      scan: null,
    };
    try {
      await gather(session, input, maxRows, findings);
    } catch (error) {
      if (!(error instanceof CheckDeadlineError)) throw error;
      findings.timedOut = true;
    } finally {
      session.close();
    }
    return assemble(input, findings, session.timeoutMs);
  } finally {
    own?.closeSync();
  }
}

function assertInput(input: MinerFilesInput): void {
  if (!Number.isSafeInteger(input.maxFileBytes) || input.maxFileBytes <= 0) {
    throw new RangeError(`Invalid maxFileBytes "${input.maxFileBytes}": expected a positive integer`);
  }
  if (
    !Number.isSafeInteger(input.startMs) || !Number.isSafeInteger(input.endMs) || input.startMs >= input.endMs
  ) {
    throw new RangeError(
      `Invalid epoch window [${input.startMs}, ${input.endMs}): expected integer ms, start < end`,
    );
  }
  const paths = new Set<string>();
  for (const file of input.files) {
    if (paths.has(file.path)) throw new RangeError(`Cannot check "${file.path}" twice: paths must be unique`);
    paths.add(file.path);
    if (!Number.isSafeInteger(file.expectedRows) || file.expectedRows < 0) {
      throw new RangeError(`Invalid expectedRows "${file.expectedRows}" of "${file.key}"`);
    }
  }
}

/** Runs every stage, recording what it finds in `f`; throws only `CheckDeadlineError` or a validator fault. */
async function gather(session: DuckSession, input: MinerFilesInput, maxRows: number, f: Findings) {
  // Probed a batch at a time: concurrently (it is mostly waiting) but never with thousands of files open.
  const probed: MinerFile[] = [];
  for (let i = 0; i < input.files.length; i += PROBE_BATCH) {
    const batch = input.files.slice(i, i + PROBE_BATCH);
    const problems = await Promise.all(batch.map((file) => probeParquetFile(file.path, input.maxFileBytes)));
    for (const [j, file] of batch.entries()) {
      if (problems[j] === null) probed.push(file);
      else f.files.set(file.key, problems[j]!);
    }
  }

  const footers = await isolate(probed, f, new Map(), (files) => readFooters(session, files));
  const schemaOk = await checkSchemas(session, footers.files, footers.value, f);

  let total = 0;
  for (const file of schemaOk) {
    const rows = footers.value.get(file.path)!.rows;
    f.footerRows.set(file.path, rows);
    total += rows;
    if (rows !== file.expectedRows) {
      f.rowCounts.set(file.key, `${rows} rows, the manifest claims ${file.expectedRows}`);
    }
  }
  if (total > maxRows) {
    // Refused before reading: a small file can still claim billions of rows.
    f.rowCounts.set("(all files)", `${total} rows in total exceeds the limit of ${maxRows}`);
    return;
  }

  const scanned = await isolate<Scan | null>(schemaOk, f, null, (files) => runScan(session, input, files));
  f.scanned = scanned.files;
  f.scan = scanned.value;
}

/**
 * Runs `run` over `files`; when it fails, reruns it file by file to find the files that make it fail,
 * records them as unreadable and tries again without them. When no single file reproduces the failure,
 * the files fail together (they are the miner's upload either way).
 */
async function isolate<T>(
  files: readonly MinerFile[],
  f: Findings,
  empty: T,
  run: (files: readonly MinerFile[]) => Promise<T>,
): Promise<{ files: MinerFile[]; value: T }> {
  let current = [...files];
  while (current.length > 0) {
    try {
      return { files: current, value: await run(current) };
    } catch (error) {
      if (!isReadError(error)) throw error;
      const bad = new Set<MinerFile>();
      for (const file of current) {
        try {
          await run([file]);
        } catch (single) {
          if (!isReadError(single)) throw single;
          f.files.set(file.key, `unreadable: ${cleanMessage(single.message, file)}`);
          bad.add(file);
        }
      }
      if (bad.size === 0) {
        // Each file reads alone but not together (e.g. the memory limit): still the miner's upload.
        for (const file of current) {
          f.files.set(file.key, `unreadable with the others: ${cleanMessage(error.message, file)}`);
        }
        return { files: [], value: empty };
      }
      current = current.filter((file) => !bad.has(file));
    }
  }
  return { files: [], value: empty };
}

/** A DuckDB error reading a miner's files, as opposed to the deadline or a fault of this code. */
function isReadError(error: unknown): error is Error {
  return error instanceof Error && !(error instanceof CheckDeadlineError) && !(error instanceof TypeError) &&
    !(error instanceof RangeError);
}

function cleanMessage(message: string, file: MinerFile): string {
  const line = message.split("\n").find((l) => l.trim() !== "") ?? message;
  const text = line.replaceAll(file.path, file.key).trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}...` : text;
}

interface Footer {
  rows: number;
  fingerprint: string;
}

async function readFooters(session: DuckSession, files: readonly MinerFile[]): Promise<Map<string, Footer>> {
  const rows = await session.query("check_footers", { paths: { list: files.map((x) => x.path) } });
  const footers = new Map<string, Footer>();
  for (const row of rows) {
    footers.set(String(row.file_name), { rows: toCount(row.num_rows), fingerprint: String(row.fingerprint) });
  }
  for (const file of files) {
    if (!footers.has(file.path)) throw new Error(`No footer was read for "${file.key}"`);
  }
  return footers;
}

/** The listing columns with their types as DESCRIBE spells them (memoised on first use). */
let expectedColumns: [string, string][] | undefined;

/** Files whose columns and types are exactly the listing schema; the others go to `f.schema`. */
async function checkSchemas(
  session: DuckSession,
  files: readonly MinerFile[],
  footers: Map<string, Footer>,
  f: Findings,
): Promise<MinerFile[]> {
  if (files.length === 0) return [];
  // The spelling depends only on the DuckDB build, so one answer serves the whole process.
  expectedColumns ??= describedColumns(
    await session.query("listing_types", { types: JSON.stringify(LISTING_SQL_TYPES) }),
  );
  const expected = expectedColumns;
  const groups = Map.groupBy(files, (file) => footers.get(file.path)!.fingerprint);
  const ok: MinerFile[] = [];
  for (const group of groups.values()) {
    let problem: string | null;
    try {
      problem = schemaProblem(
        describedColumns(await session.query("describe_file", { path: group[0].path })),
        expected,
      );
    } catch (error) {
      if (!isReadError(error)) throw error;
      for (const file of group) f.files.set(file.key, `unreadable: ${cleanMessage(error.message, group[0])}`);
      continue;
    }
    if (problem === null) ok.push(...group);
    else for (const file of group) f.schema.set(file.key, problem);
  }
  // Keep manifest order so every later stage is deterministic.
  const passed = new Set(ok);
  return files.filter((file) => passed.has(file));
}

function describedColumns(rows: Row[]): [string, string][] {
  return rows.map((r) => [String(r.column_name), String(r.column_type)]);
}

function listNames(names: string[]): string {
  const more = names.length - MAX_LISTED;
  return names.slice(0, MAX_LISTED).join(", ") + (more > 0 ? ` (and ${more} more)` : "");
}

/** The first difference between a file's columns and the expected ones, or null. */
function schemaProblem(actual: [string, string][], expected: [string, string][]): string | null {
  const want = new Map(expected);
  const have = new Map(actual);
  const missing = expected.filter(([name]) => !have.has(name)).map(([name]) => name);
  if (missing.length > 0) return `missing column ${listNames(missing)}`;
  const extra = actual.filter(([name]) => !want.has(name)).map(([name]) => name);
  if (extra.length > 0) return `unexpected column ${listNames(extra)}`;
  for (const [name, type] of actual) {
    if (want.get(name) !== type) return `column ${name} is ${type}, expected ${want.get(name)}`;
  }
  for (let i = 0; i < expected.length; i++) {
    if (actual[i][0] !== expected[i][0]) {
      return `column ${actual[i][0]} is at position ${i + 1}, expected ${expected[i][0]}`;
    }
  }
  return null;
}

/** The one aggregate scan over all `files` (each already known to have the listing schema). */
async function runScan(
  session: DuckSession,
  input: MinerFilesInput,
  files: readonly MinerFile[],
): Promise<Scan> {
  const paths = { list: files.map((x) => x.path) };
  const partitions = JSON.stringify(files.map((x) => ({ path: x.path, zipcode: x.zipcode })));
  const zips = JSON.stringify(
    [...input.assigned].map(([zipcode, a]) => ({
      zipcode,
      state: a.state,
      latitude: a.latitude ?? null,
      longitude: a.longitude ?? null,
    })),
  );

  const rowParams = {
    paths,
    columns: { list: LISTING_COLUMNS },
    files: partitions,
    zips,
    epoch_id: input.epochId,
    nonce: input.nonce,
    hotkey: input.hotkey,
    start_ms: input.startMs,
    end_ms: input.endMs,
    statuses: { list: LISTING_STATUSES },
    home_types: { list: HOME_TYPES },
    price_min: PLAUSIBILITY.priceMin,
    price_max: PLAUSIBILITY.priceMax,
    rooms_max: PLAUSIBILITY.roomsMax,
    area_min: PLAUSIBILITY.livingAreaMin,
    area_max: PLAUSIBILITY.livingAreaMax,
    near_degrees: PLAUSIBILITY.nearDegrees,
  };
  const flags = new Map<string, FileFlags>();
  const nonNull = new Map<string, Map<string, number>>();
  const zpidLists = new Map<string, string[]>();
  for (const row of await session.query("check_rows", rowParams)) {
    const file = String(row.filename);
    const counts: FileFlags = {};
    const columns = new Map<string, number>();
    for (const [name, value] of Object.entries(row)) {
      if (name === "filename") continue;
      if (name === "zpids") zpidLists.set(file, value as string[]);
      else if (LISTING_NAMES.has(name)) columns.set(name, toCount(value));
      else counts[name] = value === null ? null : toCount(value);
    }
    flags.set(file, counts);
    nonNull.set(file, columns);
  }
  return { nonNull, flags, ...countZpids(files, zpidLists) };
}

/** Distinct zpids overall and per ZIP partition, and the repeats, from each file's zpid list. */
function countZpids(
  files: readonly MinerFile[],
  zpidLists: Map<string, string[]>,
): Omit<Scan, "nonNull" | "flags"> {
  const copies = new Map<string, number>();
  const perZipSets = new Map<string, Set<string>>();
  let rowsWithZpid = 0;
  for (const file of files) {
    const list = zpidLists.get(file.path) ?? [];
    const zipSet = perZipSets.get(file.zipcode) ?? new Set<string>();
    perZipSets.set(file.zipcode, zipSet);
    rowsWithZpid += list.length;
    for (const zpid of list) {
      copies.set(zpid, (copies.get(zpid) ?? 0) + 1);
      zipSet.add(zpid);
    }
  }
  const repeated = [...copies].filter(([, n]) => n > 1).map(([zpid]) => zpid).sort();
  return {
    perZip: new Map([...perZipSets].map(([zip, set]) => [zip, set.size])),
    rowsWithZpid,
    unique: copies.size,
    repeated: repeated.length,
    examples: repeated.slice(0, MAX_EXAMPLES),
    zpids: [...copies.keys()].sort(),
  };
}

function toCount(value: unknown): number {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return 0;
  throw new TypeError(`Cannot read a count from "${String(value)}"`);
}

// ---- Assembling the verdicts (pure) ----

/** A count of offending rows with the first file that has one. */
interface Tally {
  rows: number;
  firstKey: string | null;
}

function tally(f: Findings, pick: (flags: FileFlags, file: MinerFile) => number): Tally {
  let rows = 0;
  let firstKey: string | null = null;
  for (const file of f.scanned) {
    const flags = f.scan?.flags.get(file.path);
    if (!flags) continue;
    const n = pick(flags, file);
    if (n > 0 && firstKey === null) firstKey = file.key;
    rows += n;
  }
  return { rows, firstKey };
}

function flag(name: string): (flags: FileFlags) => number {
  return (flags) => flags[name] ?? 0;
}

/** `another nonce: 3 rows (first in "key")`, one phrase per non-zero tally. */
function describeTallies(entries: [string, Tally][]): string[] {
  return entries.filter(([, t]) => t.rows > 0).map(([label, t]) =>
    `${label}: ${t.rows} ${t.rows === 1 ? "row" : "rows"} (first in "${t.firstKey}")`
  );
}

function listProblems(problems: Map<string, string>): string {
  const entries = [...problems];
  const shown = entries.slice(0, MAX_LISTED).map(([key, why]) => `"${key}": ${why}`);
  const more = entries.length - shown.length;
  return shown.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}

function outcome(name: CheckName, problems: string[], okDetail: string): CheckOutcome {
  return {
    name,
    ok: problems.length === 0,
    fatal: (FATAL_CHECKS as readonly string[]).includes(name),
    detail: problems.length === 0 ? okDetail : problems.join("; "),
  };
}

function assemble(input: MinerFilesInput, f: Findings, timeoutMs: number): MinerCheckResult {
  const scan = f.scan;
  const rows = scan ? tally(f, flag("row_count")).rows : 0;
  const notChecked = "not checked: no data was read";
  const rowChecks = (name: CheckName, problems: () => string[]): CheckOutcome =>
    scan
      ? outcome(name, problems(), `${rows} rows pass`)
      : { name, ok: false, fatal: true, detail: notChecked };

  const checks: CheckOutcome[] = [];
  checks.push(
    f.timedOut
      ? {
        name: "deadline",
        ok: false,
        fatal: true,
        detail: `the checks did not finish within ${timeoutMs} ms`,
      }
      : outcome("deadline", [], `finished within ${timeoutMs} ms`),
  );
  checks.push(
    input.files.length === 0
      ? { name: "files", ok: false, fatal: true, detail: "the manifest names no data files" }
      : outcome(
        "files",
        f.files.size > 0 ? [listProblems(f.files)] : [],
        `${input.files.length} files readable`,
      ),
  );
  checks.push(
    outcome("schema", f.schema.size > 0 ? [listProblems(f.schema)] : [], "every file has the schema"),
  );

  const rowCountProblems = new Map(f.rowCounts);
  for (const file of f.scanned) {
    const read = scan?.flags.get(file.path)?.row_count ?? 0;
    const footer = f.footerRows.get(file.path) ?? 0;
    if (read !== footer) {
      rowCountProblems.set(file.key, `the footer claims ${footer} rows, the data holds ${read}`);
    }
  }
  checks.push(
    outcome(
      "row_counts",
      rowCountProblems.size > 0 ? [listProblems(rowCountProblems)] : [],
      "every file holds the rows the manifest claims",
    ),
  );
  checks.push(
    scan
      ? outcome("listings", rows > 0 ? [] : ["the readable files hold no rows"], `${rows} rows`)
      : { name: "listings", ok: false, fatal: true, detail: notChecked },
  );

  checks.push(rowChecks("stamp", () =>
    describeTallies([
      [`epoch_id other than ${input.epochId}`, tally(f, flag("wrong_epoch"))],
      ["another nonce", tally(f, flag("wrong_nonce"))],
      [`miner_hotkey other than ${input.hotkey}`, tally(f, flag("wrong_hotkey"))],
    ])));

  const unassigned = input.files.filter((file) => !input.assigned.has(file.zipcode));
  checks.push(rowChecks("zipcodes", () => [
    ...unassigned.slice(0, MAX_LISTED).map((file) => `ZIP ${file.zipcode} is not assigned ("${file.key}")`),
    ...describeTallies([
      ["zipcode other than the partition's", tally(f, flag("wrong_zipcode"))],
      ["address outside the zipcode", tally(f, flag("wrong_address_zip"))],
    ]),
  ]));

  checks.push(rowChecks("scraped_at", () => {
    const outside = tally(f, flag("outside_epoch"));
    if (outside.rows === 0) return [];
    const times = [...(scan?.flags.values() ?? [])];
    const first = Math.min(...times.map((t) => t.first_scraped_ms ?? Infinity));
    const last = Math.max(...times.map((t) => t.last_scraped_ms ?? -Infinity));
    const span = Number.isFinite(first) && Number.isFinite(last)
      ? `; scraped ${new Date(first).toISOString()} to ${new Date(last).toISOString()}`
      : "";
    const window = `[${new Date(input.startMs).toISOString()}, ${new Date(input.endMs).toISOString()})`;
    return [`${describeTallies([[`scraped outside ${window}`, outside]])[0]}${span}`];
  }));

  checks.push(rowChecks("values", () => [
    ...describeTallies(
      REQUIRED_COLUMNS.map((column) => [
        `null ${column}`,
        tally(f, (flags, file) => (flags.row_count ?? 0) - (scan!.nonNull.get(file.path)?.get(column) ?? 0)),
      ]),
    ),
    ...describeTallies([
      ["zpid not of 1-12 digits", tally(f, flag("bad_zpid"))],
      ["url not naming the zpid", tally(f, flag("bad_url"))],
      ["source other than zillow", tally(f, flag("bad_source"))],
      ["unknown listing_status", tally(f, flag("bad_status"))],
      ["unknown home_type", tally(f, flag("bad_home_type"))],
    ]),
  ]));

  const duplicates = scan ? scan.rowsWithZpid - scan.unique : 0;
  checks.push(rowChecks("duplicates", () =>
    duplicates === 0 ? [] : [
      `${duplicates} rows repeat ${scan!.repeated} zpids (e.g. ${scan!.examples.join(", ")})`,
    ]));

  // Quality: shares over the rows read; a miner with no readable rows has neither.
  let filled = 0;
  for (const counts of scan?.nonNull.values() ?? []) {
    for (const column of OPTIONAL_COLUMNS) filled += counts.get(column) ?? 0;
  }
  const completeness = ratio(filled, rows * OPTIONAL_COLUMNS.length);
  checks.push({
    name: "completeness",
    ok: completeness >= COMPLETENESS_FLOOR,
    fatal: false,
    detail: `${
      formatShare(completeness)
    } of ${OPTIONAL_COLUMNS.length} optional fields filled over ${rows} rows`,
  });
  const implausible = tally(f, flag("implausible")).rows;
  const plausibility = ratio(rows - implausible, rows);
  const plausibilityNotes = describeTallies([
    [
      `price outside [${PLAUSIBILITY.priceMin}, ${PLAUSIBILITY.priceMax}]`,
      tally(f, flag("bad_price")),
    ],
    [`bedrooms outside [0, ${PLAUSIBILITY.roomsMax}]`, tally(f, flag("bad_bedrooms"))],
    [`bathrooms outside [0, ${PLAUSIBILITY.roomsMax}]`, tally(f, flag("bad_bathrooms"))],
    [
      `living area outside [${PLAUSIBILITY.livingAreaMin}, ${PLAUSIBILITY.livingAreaMax}] sqft`,
      tally(f, flag("bad_area")),
    ],
    [`over ${PLAUSIBILITY.nearDegrees} degree from the ZIP centre`, tally(f, flag("far_from_zip"))],
    ["state other than the ZIP's", tally(f, flag("wrong_state"))],
  ]);
  checks.push({
    name: "plausibility",
    ok: rows > 0 && implausible === 0,
    fatal: false,
    detail: [`${formatShare(plausibility)} of ${rows} rows plausible`, ...plausibilityNotes].join("; "),
  });

  const order = [...FATAL_CHECKS, ...QUALITY_CHECKS] as readonly string[];
  checks.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const firstFatal = checks.find((c) => c.fatal && !c.ok);

  const perZipcode: Record<string, number> = {};
  const zips = [...new Set([...input.assigned.keys(), ...(scan?.perZip.keys() ?? [])])].sort();
  for (const zip of zips) perZipcode[zip] = scan?.perZip.get(zip) ?? 0;

  return {
    hotkey: input.hotkey,
    epochId: input.epochId,
    checks,
    counts: { rows, uniqueListings: scan?.unique ?? 0, duplicates, perZipcode },
    quality: { completeness, plausibility },
    zpids: scan?.zpids ?? [],
    zeroReason: firstFatal ? `${firstFatal.name}: ${firstFatal.detail}` : null,
  };
}

function formatShare(fixed: number): string {
  return `${(Math.floor(fixed / 100) / 100).toFixed(2)}%`;
}
