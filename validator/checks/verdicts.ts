/**
 * The pure half of the data checks: from what the staging found (`Findings`) to one verdict per check
 * (`check_rules.ts` says which are fatal and in what order) and the miner's counts and quality shares.
 * No I/O, no clock: the same findings give the same result on every validator.
 * @module
 */
import { SCORED_COLUMNS } from "../../shared/listing_site/compare.ts";
import { ratio } from "../../shared/fixed_point.ts";
import {
  type CheckName,
  COMPLETENESS_FLOOR,
  FATAL_CHECKS,
  PLAUSIBILITY,
  QUALITY_CHECKS,
  REQUIRED_COLUMNS,
} from "./check_rules.ts";
import type {
  CheckOutcome,
  FileFlags,
  Findings,
  MinerCheckResult,
  MinerFile,
  MinerFilesInput,
} from "./check_types.ts";

const MAX_LISTED = 3;
const NOT_CHECKED = "not checked: no data was read";

/** A count of offending rows with the first file that has one. */
interface Tally {
  rows: number;
  firstKey: string | null;
}

/** What every check reads: the input, the findings and the rows read. */
interface Ctx {
  input: MinerFilesInput;
  f: Findings;
  rows: number;
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

/** A row-level check: failed as "not checked" when no data was read. */
function rowCheck(c: Ctx, name: CheckName, problems: () => string[]): CheckOutcome {
  return c.f.scan
    ? outcome(name, problems(), `${c.rows} rows pass`)
    : { name, ok: false, fatal: true, detail: NOT_CHECKED };
}

function deadlineCheck(c: Ctx, timeoutMs: number): CheckOutcome {
  return c.f.timedOut
    ? { name: "deadline", ok: false, fatal: true, detail: `the checks did not finish within ${timeoutMs} ms` }
    : outcome("deadline", [], `finished within ${timeoutMs} ms`);
}

function filesCheck({ input, f }: Ctx): CheckOutcome {
  if (input.files.length === 0) {
    return { name: "files", ok: false, fatal: true, detail: "the manifest names no data files" };
  }
  return outcome(
    "files",
    f.files.size > 0 ? [listProblems(f.files)] : [],
    `${input.files.length} files readable`,
  );
}

function schemaCheck({ f }: Ctx): CheckOutcome {
  return outcome("schema", f.schema.size > 0 ? [listProblems(f.schema)] : [], "every file has the schema");
}

function rowCountsCheck({ f }: Ctx): CheckOutcome {
  const problems = new Map(f.rowCounts);
  for (const file of f.scanned) {
    const read = f.scan?.flags.get(file.path)?.row_count ?? 0;
    const footer = f.footerRows.get(file.path) ?? 0;
    if (read !== footer) problems.set(file.key, `the footer claims ${footer} rows, the data holds ${read}`);
  }
  return outcome(
    "row_counts",
    problems.size > 0 ? [listProblems(problems)] : [],
    "every file holds the rows the manifest claims",
  );
}

function listingsCheck(c: Ctx): CheckOutcome {
  return c.f.scan
    ? outcome("listings", c.rows > 0 ? [] : ["the readable files hold no rows"], `${c.rows} rows`)
    : { name: "listings", ok: false, fatal: true, detail: NOT_CHECKED };
}

function stampCheck(c: Ctx): CheckOutcome {
  return rowCheck(c, "stamp", () =>
    describeTallies([
      [`epoch_id other than ${c.input.epochId}`, tally(c.f, flag("wrong_epoch"))],
      ["another nonce", tally(c.f, flag("wrong_nonce"))],
      [`miner_hotkey other than ${c.input.hotkey}`, tally(c.f, flag("wrong_hotkey"))],
    ]));
}

function zipcodesCheck(c: Ctx): CheckOutcome {
  const unassigned = c.input.files.filter((file) => !c.input.assigned.has(file.zipcode));
  return rowCheck(c, "zipcodes", () => [
    ...unassigned.slice(0, MAX_LISTED).map((file) => `ZIP ${file.zipcode} is not assigned ("${file.key}")`),
    ...describeTallies([
      ["zipcode other than the partition's", tally(c.f, flag("wrong_zipcode"))],
      ["address outside the zipcode", tally(c.f, flag("wrong_address_zip"))],
    ]),
  ]);
}

function scrapedAtCheck(c: Ctx): CheckOutcome {
  return rowCheck(c, "scraped_at", () => {
    const outside = tally(c.f, flag("outside_epoch"));
    // Restamping: a row claimed scraped after the receipt of the part that delivered it.
    const late = describeTallies([["scraped after its part's receipt", tally(c.f, flag("after_receipt"))]]);
    if (outside.rows === 0) return late;
    const times = [...(c.f.scan?.flags.values() ?? [])];
    const first = Math.min(...times.map((t) => t.first_scraped_ms ?? Infinity));
    const last = Math.max(...times.map((t) => t.last_scraped_ms ?? -Infinity));
    const span = Number.isFinite(first) && Number.isFinite(last)
      ? `; scraped ${new Date(first).toISOString()} to ${new Date(last).toISOString()}`
      : "";
    const window = `[${new Date(c.input.startMs).toISOString()}, ${new Date(c.input.endMs).toISOString()})`;
    return [`${describeTallies([[`scraped outside ${window}`, outside]])[0]}${span}`, ...late];
  });
}

function valuesCheck(c: Ctx): CheckOutcome {
  const nonNull = c.f.scan?.nonNull;
  return rowCheck(c, "values", () => [
    ...describeTallies(
      REQUIRED_COLUMNS.map((column) => [
        `null ${column}`,
        tally(c.f, (flags, file) => (flags.row_count ?? 0) - (nonNull?.get(file.path)?.get(column) ?? 0)),
      ]),
    ),
    ...describeTallies([
      ["zpid not of 1-12 digits", tally(c.f, flag("bad_zpid"))],
      ["url not naming the zpid", tally(c.f, flag("bad_url"))],
      ["source other than zillow", tally(c.f, flag("bad_source"))],
      ["unknown listing_status", tally(c.f, flag("bad_status"))],
      ["unknown home_type", tally(c.f, flag("bad_home_type"))],
      ["NaN, infinite or out-of-range number", tally(c.f, flag("bad_number"))],
    ]),
  ]);
}

function duplicatesCheck(c: Ctx, duplicates: number): CheckOutcome {
  const scan = c.f.scan;
  return rowCheck(c, "duplicates", () =>
    duplicates === 0 ? [] : [
      `${duplicates} rows repeat ${scan!.repeated} zpids (e.g. ${scan!.examples.join(", ")})`,
    ]);
}

/**
 * Share of non-null scored cells over the for-sale rows read; a miner with none has none. Only the
 * optional columns the spot check verifies count (`SCORED_COLUMNS`): a column nobody can verify earns
 * nothing, so inventing it cannot raise a score; and only rows the subnet buys (`FOR_SALE_STATUSES`), so
 * padding with fuller rows of homes off the market cannot either.
 */
function completenessCheck(c: Ctx): { check: CheckOutcome; share: number } {
  let filled = 0;
  for (const counts of c.f.scan?.nonNullForSale.values() ?? []) {
    for (const column of SCORED_COLUMNS) filled += counts.get(column) ?? 0;
  }
  const forSaleRows = tally(c.f, flag("for_sale")).rows;
  const share = ratio(filled, forSaleRows * SCORED_COLUMNS.length);
  const detail = `${
    formatShare(share)
  } of ${SCORED_COLUMNS.length} verified optional fields filled over ${forSaleRows} rows for sale`;
  return { check: { name: "completeness", ok: share >= COMPLETENESS_FLOOR, fatal: false, detail }, share };
}

/** Share of rows whose present values are plausible. */
function plausibilityCheck(c: Ctx): { check: CheckOutcome; share: number } {
  const implausible = tally(c.f, flag("implausible")).rows;
  const share = ratio(c.rows - implausible, c.rows);
  const p = PLAUSIBILITY;
  const notes = describeTallies([
    [`price outside [${p.priceMin}, ${p.priceMax}]`, tally(c.f, flag("bad_price"))],
    [`bedrooms outside [0, ${p.roomsMax}]`, tally(c.f, flag("bad_bedrooms"))],
    [`bathrooms outside [0, ${p.roomsMax}]`, tally(c.f, flag("bad_bathrooms"))],
    [`living area outside [${p.livingAreaMin}, ${p.livingAreaMax}] sqft`, tally(c.f, flag("bad_area"))],
    [`over ${p.nearDegrees} degree from the ZIP centre`, tally(c.f, flag("far_from_zip"))],
    ["state other than the ZIP's", tally(c.f, flag("wrong_state"))],
  ]);
  const detail = [`${formatShare(share)} of ${c.rows} rows plausible`, ...notes].join("; ");
  return {
    check: { name: "plausibility", ok: c.rows > 0 && implausible === 0, fatal: false, detail },
    share,
  };
}

/** Every verdict of one miner from its findings. */
export function assemble(input: MinerFilesInput, f: Findings, timeoutMs: number): MinerCheckResult {
  const scan = f.scan;
  const c: Ctx = { input, f, rows: scan ? tally(f, flag("row_count")).rows : 0 };
  const duplicates = scan ? scan.rowsWithZpid - scan.unique : 0;
  const completeness = completenessCheck(c);
  const plausibility = plausibilityCheck(c);
  const checks = [
    deadlineCheck(c, timeoutMs),
    filesCheck(c),
    schemaCheck(c),
    rowCountsCheck(c),
    listingsCheck(c),
    stampCheck(c),
    zipcodesCheck(c),
    scrapedAtCheck(c),
    valuesCheck(c),
    duplicatesCheck(c, duplicates),
    completeness.check,
    plausibility.check,
  ];
  const order = [...FATAL_CHECKS, ...QUALITY_CHECKS] as readonly string[];
  checks.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const firstFatal = checks.find((check) => check.fatal && !check.ok);

  const perZipcode: Record<string, number> = {};
  const forSalePerZipcode: Record<string, number> = {};
  const zips = [...new Set([...input.assigned.keys(), ...(scan?.perZip.keys() ?? [])])].sort();
  for (const zip of zips) [perZipcode[zip], forSalePerZipcode[zip]] = [scan?.perZip.get(zip) ?? 0, 0];
  const perFile = f.scanned.map((file) => {
    const flags = scan?.flags.get(file.path);
    return {
      key: file.key,
      zipcode: file.zipcode,
      listings: scan?.zpidsPerFile.get(file.path) ?? 0,
      forSale: flags?.for_sale ?? 0,
    };
  });
  for (const file of perFile) forSalePerZipcode[file.zipcode] += file.forSale;

  return {
    hotkey: input.hotkey,
    epochId: input.epochId,
    checks,
    counts: { rows: c.rows, uniqueListings: scan?.unique ?? 0, duplicates, perZipcode, forSalePerZipcode },
    quality: { completeness: completeness.share, plausibility: plausibility.share },
    zpids: scan?.zpids ?? [],
    perFile,
    zeroReason: firstFatal ? `${firstFatal.name}: ${firstFatal.detail}` : null,
  };
}

function formatShare(fixed: number): string {
  return `${(Math.floor(fixed / 100) / 100).toFixed(2)}%`;
}
