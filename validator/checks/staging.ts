/**
 * The I/O half of the data checks: stages one miner's downloaded Parquet files through DuckDB, cheapest
 * first, recording what each stage finds in `Findings` for the pure verdicts (`verdicts.ts`): size and
 * magic (no reader), footers (row counts, schema fingerprints), schema (one DESCRIBE per fingerprint),
 * then one aggregate scan over all of the miner's good files at once (`sql/check_rows.sql`: one small file
 * per ZIP makes opening column chunks the main cost, so every column is decoded exactly once). A file that
 * fails a stage is left out of the later ones, so one bad file is named precisely and the rest are still
 * measured.
 * @module
 */
import { FOR_SALE_STATUSES, LISTING_COLUMNS, LISTING_SQL_TYPES } from "../../shared/schemas/listing.ts";
import { HOME_TYPES, LISTING_STATUSES, MAX_DECODED_ROW_BYTES, PLAUSIBILITY } from "./check_rules.ts";
import type { FileFlags, Findings, MinerFile, MinerFilesInput, Scan } from "./check_types.ts";
import { CheckDeadlineError, type DuckSession, type Row } from "./duck_session.ts";
import { probeParquetFile } from "./file_probe.ts";
import { schemaProblem } from "./schema_match.ts";

const MAX_EXAMPLES = 5;
const MAX_MESSAGE = 200;
const PROBE_BATCH = 32;
const LISTING_NAMES: ReadonlySet<string> = new Set(LISTING_COLUMNS);
/** `sql/check_rows.sql` names a column's non-null count over the for-sale rows `for_sale_{column}`. */
const FOR_SALE_PREFIX = "for_sale_";

/** Runs every stage, recording what it finds in `f`; throws only `CheckDeadlineError` or a validator fault. */
export async function stageMinerFiles(
  session: DuckSession,
  input: MinerFilesInput,
  maxRows: number,
  f: Findings,
): Promise<void> {
  const probed = await probeAll(input, f);
  const footers = await isolate(probed, f, new Map(), (files) => readFooters(session, files));
  const unbombed = footers.files.filter((file) => {
    const { rows, decodedBytes } = footers.value.get(file.path)!;
    const limit = Math.max(1, rows) * MAX_DECODED_ROW_BYTES;
    if (decodedBytes <= limit) return true;
    f.files.set(
      file.key,
      `decodes to ${decodedBytes} bytes, over ${MAX_DECODED_ROW_BYTES} per row (${limit})`,
    );
    return false;
  });
  const schemaOk = await checkSchemas(session, unbombed, footers.value, f);

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

/** Size and magic of every file, a batch at a time: concurrently, but never thousands of files open. */
async function probeAll(input: MinerFilesInput, f: Findings): Promise<MinerFile[]> {
  const probed: MinerFile[] = [];
  for (let i = 0; i < input.files.length; i += PROBE_BATCH) {
    const batch = input.files.slice(i, i + PROBE_BATCH);
    const problems = await Promise.all(batch.map((file) => probeParquetFile(file.path, input.maxFileBytes)));
    for (const [j, file] of batch.entries()) {
      if (problems[j] === null) probed.push(file);
      else f.files.set(file.key, problems[j]!);
    }
  }
  return probed;
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
  decodedBytes: number;
  fingerprint: string;
}

async function readFooters(session: DuckSession, files: readonly MinerFile[]): Promise<Map<string, Footer>> {
  const rows = await session.query("check_footers", { paths: { list: files.map((x) => x.path) } });
  const footers = new Map<string, Footer>();
  for (const row of rows) {
    footers.set(String(row.file_name), {
      rows: toCount(row.num_rows),
      decodedBytes: toCount(row.decoded_bytes),
      fingerprint: String(row.fingerprint),
    });
  }
  for (const file of files) {
    if (!footers.has(file.path)) throw new Error(`No footer was read for "${file.key}"`);
  }
  return footers;
}

/** The listing columns with their types as DESCRIBE spells them (memoised on first use). */
let expectedColumns: [string, string][] | undefined;

/**
 * Schema fingerprints already described and found exactly the listing schema: the fingerprint covers every
 * schema element and DuckDB's type for it, so equal fingerprints read with equal columns (every honest
 * miner's writer gives the same one, so one DESCRIBE serves the process).
 */
const goodFingerprints = new Set<string>();

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
  for (const [fingerprint, group] of groups) {
    if (goodFingerprints.has(fingerprint)) {
      ok.push(...group);
      continue;
    }
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
    if (problem === null) {
      ok.push(...group);
      goodFingerprints.add(fingerprint);
    } else for (const file of group) f.schema.set(file.key, problem);
  }
  // Keep manifest order so every later stage is deterministic.
  const passed = new Set(ok);
  return files.filter((file) => passed.has(file));
}

function describedColumns(rows: Row[]): [string, string][] {
  return rows.map((r) => [String(r.column_name), String(r.column_type)]);
}

/** The parameters of `sql/check_rows.sql` for `files`. */
function scanParams(input: MinerFilesInput, files: readonly MinerFile[]) {
  return {
    paths: { list: files.map((x) => x.path) },
    columns: { list: LISTING_COLUMNS },
    files: JSON.stringify(
      files.map((x) => ({ path: x.path, zipcode: x.zipcode, until_ms: x.scrapedByMs ?? null })),
    ),
    zips: JSON.stringify(
      [...input.assigned].map(([zipcode, a]) => ({
        zipcode,
        state: a.state,
        latitude: a.latitude ?? null,
        longitude: a.longitude ?? null,
      })),
    ),
    epoch_id: input.epochId,
    nonce: input.nonce,
    hotkey: input.hotkey,
    start_ms: input.startMs,
    end_ms: input.endMs,
    statuses: { list: LISTING_STATUSES },
    for_sale: { list: FOR_SALE_STATUSES },
    home_types: { list: HOME_TYPES },
    price_min: PLAUSIBILITY.priceMin,
    price_max: PLAUSIBILITY.priceMax,
    rooms_max: PLAUSIBILITY.roomsMax,
    area_min: PLAUSIBILITY.livingAreaMin,
    area_max: PLAUSIBILITY.livingAreaMax,
    near_degrees: PLAUSIBILITY.nearDegrees,
  };
}

/** The one aggregate scan over all `files` (each already known to have the listing schema). */
async function runScan(
  session: DuckSession,
  input: MinerFilesInput,
  files: readonly MinerFile[],
): Promise<Scan> {
  const flags = new Map<string, FileFlags>();
  const nonNull = new Map<string, Map<string, number>>();
  const nonNullForSale = new Map<string, Map<string, number>>();
  const zpidLists = new Map<string, string[]>();
  for (const row of await session.query("check_rows", scanParams(input, files))) {
    const file = String(row.filename);
    const counts: FileFlags = {};
    const columns = new Map<string, number>();
    const forSale = new Map<string, number>();
    for (const [name, value] of Object.entries(row)) {
      if (name === "filename") continue;
      if (name === "zpids") zpidLists.set(file, value as string[]);
      else if (LISTING_NAMES.has(name)) columns.set(name, toCount(value));
      else if (name.startsWith(FOR_SALE_PREFIX) && LISTING_NAMES.has(name.slice(FOR_SALE_PREFIX.length))) {
        forSale.set(name.slice(FOR_SALE_PREFIX.length), toCount(value));
      } else counts[name] = value === null ? null : toCount(value);
    }
    flags.set(file, counts);
    nonNull.set(file, columns);
    nonNullForSale.set(file, forSale);
  }
  return { nonNull, nonNullForSale, flags, ...countZpids(files, zpidLists) };
}

/** Distinct zpids overall and per ZIP partition, and the repeats, from each file's zpid list. */
function countZpids(
  files: readonly MinerFile[],
  zpidLists: Map<string, string[]>,
): Omit<Scan, "nonNull" | "nonNullForSale" | "flags"> {
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
    zpidsPerFile: new Map(files.map((file) => [file.path, zpidLists.get(file.path)?.length ?? 0])),
  };
}

function toCount(value: unknown): number {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return 0;
  throw new TypeError(`Cannot read a count from "${String(value)}"`);
}
