/**
 * Load benchmark of the validator's data checks: 256 miners x 20 ZIPs x 500 listings (10,000 per miner),
 * written by the miner's own Parquet writer, then `checkMinerFiles` for every miner and `crossMinerUnique`
 * over all of them. Prints seconds, peak RSS (sampled every 25 ms) and DuckDB's peak own memory, beside
 * the floor measured in the same run: one bare DuckDB pass over the same files that decodes every column
 * and computes per-file counts (`sql/bench_scan_floor.sql`). Then the same epoch with `--hostile-share`
 * (default 10 %) of the miners replaced by hostile uploads (NaN values, truncated Parquet, a compression
 * bomb, duplicated rows, a wrong nonce, a missing column), each of which must be zeroed by its check while
 * every other miner passes.
 *
 *     deno run -A tests/bench/validator_checks.ts [--miners 256] [--zips 20] [--rows 500] [--concurrency 2]
 *         [--threads N] [--private] [--dir <cache>] [--fresh] [--hostile-share 0.1]
 *
 * Every miner reports the same 20 ZIPs (as in an epoch): 98% of each miner's rows come from a shared pool
 * per ZIP (staggered, so miners overlap but differ) and 2% are zpids only that miner reports. Generated
 * files are cached under `--dir` (default: $TMPDIR/zipmine-bench-checks) and reused when the shape matches.
 * The target on a 2-core machine: under 5 s and 1 GiB, within 1.5x of the floor.
 * @module
 */
import { encodeAddress } from "@polkadot/util-crypto";
import { join } from "node:path";
import { writeListingsParquet } from "../../shared/adapters/duckdb/listings_parquet.ts";
import { parseEpochId } from "../../shared/epoch.ts";
import { minerDataKey } from "../../shared/s3_keys.ts";
import { loadSql } from "../../shared/adapters/duckdb/sql_file.ts";
import {
  type AssignedZip,
  checkMinerFiles,
  createChecksInstance,
  crossMinerUnique,
  type MinerCheckResult,
  type MinerFile,
} from "../../validator/checks/duckdb_checks.ts";
import { sampleListing } from "../fixtures/listings.ts";
import { HOSTILE_KINDS, hostileFiles, type HostileKind } from "./hostile_files.ts";

const args = new Map<string, string>();
for (let i = 0; i < Deno.args.length; i++) {
  const name = Deno.args[i].replace(/^--/, "");
  const next = Deno.args[i + 1];
  if (next === undefined || next.startsWith("--")) args.set(name, "true");
  else args.set(name, Deno.args[++i]);
}
const MINERS = Number(args.get("miners") ?? 256);
const ZIPS = Number(args.get("zips") ?? 20);
const ROWS = Number(args.get("rows") ?? 500);
const CONCURRENCY = Number(args.get("concurrency") ?? 2);
/** Each call opens a private DuckDB instance (the default of `checkMinerFiles`) instead of sharing one. */
const PRIVATE = args.has("private");
/** DuckDB threads (default: one per core). */
const THREADS = args.has("threads") ? Number(args.get("threads")) : undefined;
const HOSTILE_SHARE = Number(args.get("hostile-share") ?? 0.1);
const DIR = args.get("dir") ?? join(Deno.env.get("TMPDIR") ?? "/tmp", "zipmine-bench-checks");
const EPOCH = "2025-10-01T16-00-00";
const START = parseEpochId(EPOCH);
const END = START + 4 * 3_600_000;
const NONCE = "0123456789abcdef0123456789abcdef";
/** Per miner and ZIP, this many rows are zpids no other miner reports. */
const OWN_ROWS = Math.max(1, Math.floor(ROWS / 50));
const POOL = ROWS + 40;

const zipcodes = Array.from({ length: ZIPS }, (_, z) => String(10_001 + z * 7).padStart(5, "0"));
const assigned = new Map<string, AssignedZip>(
  zipcodes.map((zip) => [zip, { expected: ROWS, state: "TX", latitude: 29.75, longitude: -95.36 }]),
);

function hotkeyOf(miner: number): string {
  const publicKey = new Uint8Array(32);
  new DataView(publicKey.buffer).setUint32(0, miner + 1);
  return encodeAddress(publicKey, 42);
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** The files of one miner, written unless the cache already holds them. */
async function minerFiles(miner: number): Promise<MinerFile[]> {
  const hotkey = hotkeyOf(miner);
  const dir = join(DIR, `m${miner}`);
  const done = join(dir, "files.json");
  const cached = await readIfPresent(done);
  if (cached !== null) return JSON.parse(cached);
  await Deno.mkdir(dir, { recursive: true });
  const files: MinerFile[] = [];
  for (const [z, zipcode] of zipcodes.entries()) {
    const stamp = {
      epochId: EPOCH,
      nonce: NONCE,
      minerHotkey: hotkey,
      zipcode,
      scrapedAt: new Date(START + 1000 * (miner + z)).toISOString(),
    };
    const records = Array.from({ length: ROWS }, (_, i) => {
      // Shared listings are staggered per miner; the last OWN_ROWS are this miner's alone.
      const index = i < ROWS - OWN_ROWS
        ? z * 100_000 + ((miner * 7 + i) % POOL)
        : 50_000_000 + miner * 10_000 + z * OWN_ROWS + i;
      return sampleListing(index, stamp, {
        latitude: 29.75 + (i % 100) / 1000,
        longitude: -95.36 - (i % 100) / 1000,
        price: 250_000 + (index % 1000) * 1000,
        living_area_sqft: 1200 + (index % 1000),
      });
    });
    const path = join(dir, `${zipcode}.parquet`);
    const written = await writeListingsParquet(records, path);
    files.push({
      path,
      key: minerDataKey(hotkey, EPOCH, zipcode, "listings.parquet"),
      zipcode,
      expectedRows: written.rows,
    });
  }
  await Deno.writeTextFile(done, JSON.stringify(files));
  return files;
}

/** Runs `task` over 0..n-1 with at most `limit` in flight, in index order of start. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}

const shapeFile = join(DIR, "shape.json");
const shape = JSON.stringify({ MINERS, ZIPS, ROWS, version: 1 });
if (args.has("fresh") || (await readIfPresent(shapeFile)) !== shape) {
  try {
    await Deno.remove(DIR, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
await Deno.mkdir(DIR, { recursive: true });
const started = performance.now();
const uploads = await pool(MINERS, 4, async (m) => {
  const files = await minerFiles(m);
  if (m % 32 === 31) console.log(`  files ready for ${m + 1}/${MINERS} miners`);
  return files;
});
await Deno.writeTextFile(shapeFile, shape);
console.log(
  `files: ${MINERS} miners x ${ZIPS} ZIPs x ${ROWS} rows ready in ${seconds(started)} s (cache ${DIR})`,
);

// Every 10th miner (for --hostile-share 0.1) uploads a hostile variant, cycling through the kinds.
const kinds = Object.keys(HOSTILE_KINDS) as HostileKind[];
const hostileEvery = HOSTILE_SHARE > 0 ? Math.round(1 / HOSTILE_SHARE) : 0;
const hostileOf = (m: number): HostileKind | null =>
  hostileEvery > 0 && m % hostileEvery === hostileEvery - 1
    ? kinds[Math.floor(m / hostileEvery) % kinds.length]
    : null;
const hostileUploads = await Promise.all(
  uploads.map((files, m) => {
    const kind = hostileOf(m);
    return kind ? hostileFiles(files, kind, join(DIR, `h${m}`)) : files;
  }),
);

// RSS and DuckDB's own memory are sampled every 25 ms while a phase runs (DuckDB's on a connection of its
// own, so the sample sees buffers in use mid-query); each phase reports its own peaks.
const peaks = { rss: 0, duck: 0 };
const instance = await createChecksInstance({ threads: THREADS });
const probe = await instance.connect();
const memorySql = await loadSql("duckdb_memory");
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    peaks.rss = Math.max(peaks.rss, Deno.memoryUsage().rss);
    const [row] = (await probe.runAndReadAll(memorySql)).getRowObjectsJS();
    peaks.duck = Math.max(peaks.duck, Number(row.bytes));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
})();
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Runs `phase`, returning its seconds and peaks. */
async function measured<T>(phase: () => Promise<T>) {
  peaks.rss = Deno.memoryUsage().rss;
  peaks.duck = 0;
  const began = performance.now();
  const value = await phase();
  return { value, seconds: seconds(began), rss: mib(peaks.rss), duck: mib(peaks.duck) };
}

/** Every miner's checks and the cross-miner uniqueness over `inputs`. */
function checkAll(inputs: MinerFile[][]) {
  return measured(async () => {
    const results: MinerCheckResult[] = await pool(MINERS, CONCURRENCY, (m) =>
      checkMinerFiles({
        hotkey: hotkeyOf(m),
        epochId: EPOCH,
        nonce: NONCE,
        startMs: START,
        endMs: END,
        assigned,
        files: inputs[m],
        maxFileBytes: 268_435_456,
      }, PRIVATE ? {} : { instance }));
    return { results, unique: crossMinerUnique(results) };
  });
}

try {
  const floor = await measured(async () => {
    const sql = await loadSql("bench_scan_floor", { paths: { list: uploads.flat().map((f) => f.path) } });
    return (await probe.runAndReadAll(sql)).getRowObjectsJS().length;
  });
  const honest = await checkAll(uploads);
  const { results, unique } = honest.value;
  const zeroed = results.filter((r) => r.zeroReason !== null);
  const rows = results.reduce((sum, r) => sum + r.counts.rows, 0);
  const uniqueZpids = [...unique.values()].reduce((sum, z) => sum + z.length, 0);
  console.log(
    `checks: ${MINERS} miners, ${rows} rows in ${honest.seconds} s (peak RSS ${honest.rss} MiB, DuckDB ` +
      `${honest.duck} MiB; concurrency ${CONCURRENCY}, ${
        PRIVATE ? "a private instance per call" : "one shared instance"
      })`,
  );
  console.log(
    `floor:  one bare DuckDB pass over the same ${floor.value} files in ${floor.seconds} s (peak RSS ` +
      `${floor.rss} MiB, DuckDB ${floor.duck} MiB); checks / floor = ` +
      `${(Number(honest.seconds) / Number(floor.seconds)).toFixed(2)}x`,
  );
  if (zeroed.length > 0) {
    console.log(`unexpected zeroes: ${zeroed.length}, e.g. ${zeroed[0].zeroReason}`);
    Deno.exitCode = 1;
  }
  if (uniqueZpids !== MINERS * ZIPS * OWN_ROWS) {
    console.log(`unexpected unique count ${uniqueZpids}, expected ${MINERS * ZIPS * OWN_ROWS}`);
    Deno.exitCode = 1;
  }

  if (hostileEvery > 0) {
    const hostile = await checkAll(hostileUploads);
    const wrong = hostile.value.results.flatMap((r, m) => {
      const kind = hostileOf(m);
      const zeroedBy = r.zeroReason?.split(":")[0] ?? null;
      const want = kind ? HOSTILE_KINDS[kind] : null;
      return zeroedBy === want ? [] : [`miner ${m} (${kind ?? "honest"}): ${r.zeroReason ?? "passed"}`];
    });
    const count = hostile.value.results.filter((_, m) => hostileOf(m)).length;
    console.log(
      `judging with ${count} of ${MINERS} miners hostile (${kinds.join(", ")}): ${hostile.seconds} s ` +
        `(peak RSS ${hostile.rss} MiB, DuckDB ${hostile.duck} MiB); ${
          wrong.length === 0
            ? "every hostile miner zeroed by its check, every other passed"
            : wrong.join("; ")
        }`,
    );
    if (wrong.length > 0) Deno.exitCode = 1;
  }
} finally {
  sampling = false;
  await sampler;
  probe.closeSync();
  instance.closeSync();
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(2);
}
