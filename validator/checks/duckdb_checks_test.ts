import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { sampleListing } from "../../tests/fixtures/listings.ts";
import { writeListingsParquet } from "../../shared/adapters/duckdb/listings_parquet.ts";
import { parseEpochId } from "../../shared/epoch.ts";
import type { ListingRecord } from "../../shared/schemas/listing.ts";
import { minerDataKey } from "../../shared/s3_keys.ts";
import { type AssignedZip, checkMinerFiles, type MinerFile, type MinerFilesInput } from "./duckdb_checks.ts";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const OTHER_HOTKEY = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const EPOCH = "2025-10-01T16-00-00";
const NONCE = "0123456789abcdef0123456789abcdef";
const START = parseEpochId(EPOCH);
const END = START + 4 * 3_600_000;
const ZIPS = ["77001", "77002", "77003"];
const ROWS = 20;
const MAX_FILE_BYTES = 268_435_456;

const assigned = new Map<string, AssignedZip>(
  ZIPS.map((
    zip,
  ) => [zip, { expected: ROWS, state: "TX", city: "Houston", latitude: 29.75, longitude: -95.36 }]),
);

/** How a test bends the honest upload. */
interface Twist {
  /** Rewrites the records of one ZIP's file before writing. */
  records?: (records: ListingRecord[], zip: string) => ListingRecord[];
  /** Rewrites the manifest entries after writing. */
  files?: (files: MinerFile[], dir: string) => MinerFile[] | Promise<MinerFile[]>;
}

/** The honest upload of 3 ZIPs x 20 listings, written by the miner's own writer, with a twist. */
async function upload(dir: string, twist: Twist = {}): Promise<MinerFilesInput> {
  const files: MinerFile[] = [];
  for (const [z, zip] of ZIPS.entries()) {
    const stamp = {
      epochId: EPOCH,
      nonce: NONCE,
      minerHotkey: HOTKEY,
      zipcode: zip,
      scrapedAt: new Date(START + 60_000 * (z + 1)).toISOString(),
    };
    let records = Array.from({ length: ROWS }, (_, i) => sampleListing(z * 1000 + i, stamp));
    if (twist.records) records = twist.records(records, zip);
    const path = join(dir, `${zip}.parquet`);
    const written = await writeListingsParquet(records, path);
    files.push({
      path,
      key: minerDataKey(HOTKEY, EPOCH, zip, "listings.parquet"),
      zipcode: zip,
      expectedRows: written.rows,
    });
  }
  return {
    hotkey: HOTKEY,
    epochId: EPOCH,
    nonce: NONCE,
    startMs: START,
    endMs: END,
    assigned,
    files: twist.files ? await twist.files(files, dir) : files,
    maxFileBytes: MAX_FILE_BYTES,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "zipmine-checks-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes a Parquet file with arbitrary SQL (for schemas the miner's writer cannot produce). */
async function copyToParquet(sql: string, path: string, format = "FORMAT parquet"): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${sql}) TO '${path}' (${format})`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function check(result: Awaited<ReturnType<typeof checkMinerFiles>>, name: string) {
  const found = result.checks.find((c) => c.name === name);
  assert(found, `no check named ${name}`);
  return found;
}

/** Runs the checks and asserts the miner is zeroed by `name` with a detail matching `pattern`. */
async function assertZeroed(input: MinerFilesInput, name: string, pattern: RegExp) {
  const result = await checkMinerFiles(input);
  assert(result.zeroReason !== null, `expected a zero by ${name}, got none`);
  assertMatch(result.zeroReason, new RegExp(`^${name}: `));
  assertMatch(result.zeroReason, pattern);
  assertEquals(check(result, name).ok, false);
  return result;
}

Deno.test("checkMinerFiles() passes an honest upload with exact counts", async () => {
  await withDir(async (dir) => {
    const result = await checkMinerFiles(await upload(dir));
    assertEquals(result.zeroReason, null);
    assertEquals(result.checks.filter((c) => !c.ok), []);
    assertEquals(result.checks.map((c) => [c.name, c.fatal]), [
      ["deadline", true],
      ["files", true],
      ["schema", true],
      ["row_counts", true],
      ["listings", true],
      ["stamp", true],
      ["zipcodes", true],
      ["scraped_at", true],
      ["values", true],
      ["duplicates", true],
      ["completeness", false],
      ["plausibility", false],
    ]);
    assertEquals(result.counts, {
      rows: 60,
      uniqueListings: 60,
      duplicates: 0,
      perZipcode: { "77001": 20, "77002": 20, "77003": 20 },
      forSalePerZipcode: { "77001": 20, "77002": 20, "77003": 20 },
    });
    // sampleListing fills 11 of the 17 scored (verified) optional columns.
    assertEquals(result.quality, { completeness: 647_058, plausibility: 1_000_000 });
    assertEquals(result.zpids.length, 60);
    assertEquals(result.zpids, [...result.zpids].sort());
    assertEquals(result.zpids[0], "900000000");
  });
});

Deno.test("checkMinerFiles() zeroes rows carrying a wrong nonce", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs, zip) =>
        zip === "77002" ? rs.map((r) => ({ ...r, nonce: "ffffffffffffffffffffffffffffffff" })) : rs,
    });
    const result = await assertZeroed(
      input,
      "stamp",
      /another nonce: 20 rows \(first in ".*zipcode=77002/,
    );
    assertEquals(result.counts.rows, 60);
  });
});

Deno.test("checkMinerFiles() zeroes rows without a nonce", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs) => rs.map((r, i) => i === 3 ? { ...r, nonce: null as unknown as string } : r),
    });
    const result = await assertZeroed(input, "stamp", /^stamp: another nonce: 3 rows/);
    assertMatch(check(result, "values").detail, /null nonce: 3 rows/);
  });
});

Deno.test("checkMinerFiles() zeroes rows of another epoch or hotkey", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs) =>
        rs.map((r, i) => i === 0 ? { ...r, epoch_id: "2025-10-01T12-00-00", miner_hotkey: OTHER_HOTKEY } : r),
    });
    const result = await assertZeroed(
      input,
      "stamp",
      /epoch_id other than 2025-10-01T16-00-00: 3 rows/,
    );
    assertMatch(result.zeroReason!, /miner_hotkey other than 5Grw\w+: 3 rows/);
  });
});

Deno.test("checkMinerFiles() zeroes a file in an unassigned ZIP", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs, zip) =>
        zip === "77003"
          ? rs.map((r) => ({
            ...r,
            zipcode: "99999",
            address_full: r.address_full.replace("77003", "99999"),
          }))
          : rs,
      files: (files) =>
        files.map((f) =>
          f.zipcode === "77003"
            ? { ...f, zipcode: "99999", key: minerDataKey(HOTKEY, EPOCH, "99999", "listings.parquet") }
            : f
        ),
    });
    const result = await assertZeroed(input, "zipcodes", /ZIP 99999 is not assigned/);
    assertEquals(result.counts.perZipcode, { "77001": 20, "77002": 20, "77003": 0, "99999": 20 });
  });
});

Deno.test("checkMinerFiles() zeroes rows whose zipcode differs from their partition", async () => {
  await withDir(async (dir) => {
    // The file sits under zipcode=77002 but holds 77001 listings (a partition mismatch).
    const input = await upload(dir, {
      files: (files) => files.map((f) => f.zipcode === "77001" ? { ...f, zipcode: "77002" } : f),
    });
    await assertZeroed(input, "zipcodes", /zipcode other than the partition's: 20 rows/);
  });
});

Deno.test("checkMinerFiles() zeroes rows labelled with an assigned ZIP but addressed elsewhere", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs) => rs.map((r, i) => i < 2 ? { ...r, address_full: `${r.street}, Houston, TX 77099` } : r),
    });
    await assertZeroed(input, "zipcodes", /address outside the zipcode: 6 rows/);
  });
});

Deno.test("checkMinerFiles() zeroes rows scraped before the epoch", async () => {
  await withDir(async (dir) => {
    const early = new Date(START - 3_600_000).toISOString();
    const input = await upload(dir, {
      records: (rs, zip) => zip === "77001" ? rs.map((r) => ({ ...r, scraped_at: early })) : rs,
    });
    const result = await assertZeroed(
      input,
      "scraped_at",
      /scraped outside \[2025-10-01T16:00:00.000Z, 2025-10-01T20:00:00.000Z\): 20 rows/,
    );
    assertMatch(result.zeroReason!, /scraped 2025-10-01T15:00:00.000Z to 2025-10-01T16:03:00.000Z/);
  });
});

Deno.test("checkMinerFiles() zeroes rows scraped after the receipt of the part that delivered them", async () => {
  await withDir(async (dir) => {
    // 77002's rows are stamped 16:02; its part was receipted at 16:01:30 (restamped rows).
    const input = await upload(dir, {
      files: (files) =>
        files.map((f) => ({ ...f, scrapedByMs: START + (f.zipcode === "77002" ? 90_000 : 3_600_000) })),
    });
    await assertZeroed(input, "scraped_at", /scraped after its part's receipt: 20 rows \(first in ".*77002/);
    const onTime = await upload(dir, {
      files: (files) => files.map((f) => ({ ...f, scrapedByMs: START + 180_000 })),
    });
    assertEquals((await checkMinerFiles(onTime)).zeroReason, null, "scraped exactly at the receipt passes");
  });
});

Deno.test("checkMinerFiles() counts only for-sale listings per ZIP and per file for volume", async () => {
  await withDir(async (dir) => {
    const statuses = ["SOLD", "PENDING", "OFF_MARKET", "CONTINGENT", "COMING_SOON"] as const;
    const input = await upload(dir, {
      records: (rs, zip) =>
        zip === "77003" ? rs.map((r, i) => i < 5 ? { ...r, listing_status: statuses[i] } : r) : rs,
    });
    const result = await checkMinerFiles(input);
    assertEquals(result.zeroReason, null);
    assertEquals(result.counts.perZipcode, { "77001": 20, "77002": 20, "77003": 20 });
    assertEquals(result.counts.forSalePerZipcode, { "77001": 20, "77002": 20, "77003": 15 });
    assertEquals(result.quality.completeness, 647_058, "the same share over the for-sale rows");
    assertEquals(result.perFile!.map((f) => [f.zipcode, f.listings, f.forSale]), [
      ["77001", 20, 20],
      ["77002", 20, 20],
      ["77003", 20, 15],
    ]);
  });
});

Deno.test("checkMinerFiles() counts completeness over for-sale rows only: fuller off-market rows add nothing", async () => {
  await withDir(async (dir) => {
    const honest = await checkMinerFiles(await upload(dir));
    // Padding: 20 more real homes per ZIP, off the market, every verified column filled.
    const padded = await upload(dir, {
      records: (rs) => [
        ...rs,
        ...rs.map((r, i) => ({
          ...r,
          zpid: String(800_000_000 + Number(r.zpid) + i),
          url: r.url.replace(`/${r.zpid}_zpid`, `/${800_000_000 + Number(r.zpid) + i}_zpid`),
          listing_status: "OFF_MARKET" as const,
          unit: "1",
          zip4: "1234",
          days_on_zillow: 3,
          zestimate: 100_000,
          rent_zestimate: 1_000,
          tax_assessed_value: 90_000,
          mls_id: "M1",
          broker_name: "B",
          photo_count: 5,
        })),
      ],
    });
    const result = await checkMinerFiles(padded);
    assertEquals(result.zeroReason, null);
    assertEquals(result.counts.forSalePerZipcode, honest.counts.forSalePerZipcode);
    assertEquals(result.quality.completeness, honest.quality.completeness);
  });
});

Deno.test("checkMinerFiles() zeroes duplicated rows and counts them", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs, zip) => zip === "77002" ? [...rs, ...rs.slice(0, 5), rs[0]] : rs,
    });
    const result = await assertZeroed(
      input,
      "duplicates",
      /6 rows repeat 5 zpids \(e\.g\. 900001000, 900001001/,
    );
    assertEquals(result.counts.rows, 66);
    assertEquals(result.counts.uniqueListings, 60);
    assertEquals(result.counts.duplicates, 6);
    assertEquals(result.counts.perZipcode["77002"], 20);
  });
});

Deno.test("checkMinerFiles() zeroes a manifest claiming more rows than the file holds", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: (files) => files.map((f) => f.zipcode === "77003" ? { ...f, expectedRows: 25 } : f),
    });
    await assertZeroed(
      input,
      "row_counts",
      /zipcode=77003\/listings.parquet": 20 rows, the manifest claims 25/,
    );
  });
});

Deno.test("checkMinerFiles() zeroes corrupt bytes in the data and still measures the other files", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        const bytes = await Deno.readFile(files[1].path);
        bytes.fill(0xff, Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.9));
        await Deno.writeFile(files[1].path, bytes);
        return files;
      },
    });
    const result = await assertZeroed(input, "files", /zipcode=77002\/listings.parquet": unreadable: /);
    assert(!result.zeroReason!.includes(dir), "the reason names the key, not the local path");
    assertEquals(result.counts.rows, 40);
    assertEquals(result.counts.perZipcode, { "77001": 20, "77002": 0, "77003": 20 });
    assertEquals(check(result, "stamp").ok, true);
  });
});

Deno.test("checkMinerFiles() zeroes a corrupt footer", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        const bytes = await Deno.readFile(files[0].path);
        bytes.fill(0x07, bytes.length - 400, bytes.length - 8);
        await Deno.writeFile(files[0].path, bytes);
        return files;
      },
    });
    await assertZeroed(input, "files", /zipcode=77001\/listings.parquet": unreadable: /);
  });
});

Deno.test("checkMinerFiles() zeroes a file that is not Parquet, and a missing file", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        await Deno.writeTextFile(files[0].path, "zpid,price\n1,2\n");
        await Deno.remove(files[2].path);
        return files;
      },
    });
    const result = await assertZeroed(input, "files", /77001\/listings.parquet": not a Parquet file/);
    assertMatch(result.zeroReason!, /77003\/listings.parquet": missing/);
    assertEquals(result.counts.rows, 20);
  });
});

Deno.test("checkMinerFiles() zeroes a Parquet file with other columns", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        await copyToParquet("SELECT 1::BIGINT AS zpid, 'x' AS address FROM range(20)", files[0].path);
        return files;
      },
    });
    const result = await assertZeroed(
      input,
      "schema",
      /77001\/listings.parquet": missing column epoch_id, nonce/,
    );
    assertEquals(result.counts.rows, 40);
  });
});

Deno.test("checkMinerFiles() zeroes a column of the wrong type", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        const tmp = `${files[0].path}.src.parquet`;
        await Deno.rename(files[0].path, tmp);
        await copyToParquet(
          `SELECT * REPLACE (price::VARCHAR AS price) FROM read_parquet('${tmp}')`,
          files[0].path,
        );
        return files;
      },
    });
    await assertZeroed(input, "schema", /column price is VARCHAR, expected BIGINT/);
  });
});

Deno.test("checkMinerFiles() zeroes a huge file without reading it", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        await Deno.truncate(files[1].path, 1024 ** 3);
        return files;
      },
    });
    const started = performance.now();
    await assertZeroed(
      input,
      "files",
      /77002\/listings.parquet": 1073741824 bytes exceeds the limit of 268435456/,
    );
    assert(performance.now() - started < 10_000, "the huge file was not read");
  });
});

Deno.test("checkMinerFiles() zeroes an upload without files or rows", async () => {
  await withDir(async (dir) => {
    await assertZeroed({ ...(await upload(dir)), files: [] }, "files", /the manifest names no data files/);
    const empty = await upload(dir, { records: () => [] });
    const result = await assertZeroed(empty, "listings", /the readable files hold no rows/);
    assertEquals(result.counts.rows, 0);
    assertEquals(result.quality, { completeness: 0, plausibility: 0 });
  });
});

Deno.test("checkMinerFiles() zeroes a url that names another zpid and unknown enums", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs, zip) =>
        zip === "77001"
          ? rs.map((r, i) =>
            i === 0
              ? { ...r, url: "https://www.zillow.com/homedetails/x/1_zpid/", home_type: "CASTLE" as "OTHER" }
              : r
          )
          : rs,
    });
    const result = await assertZeroed(input, "values", /url not naming the zpid: 1 row/);
    assertMatch(result.zeroReason!, /unknown home_type: 1 row/);
  });
});

Deno.test("checkMinerFiles() lowers plausibility for odd values without zeroing", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      records: (rs, zip) =>
        zip === "77001"
          ? rs.map((r, i) =>
            i === 0
              ? { ...r, price: 5 }
              : i === 1
              ? { ...r, latitude: 40.7, state: "NY" }
              : i === 2
              ? { ...r, bedrooms: 45 }
              : r
          )
          : rs,
    });
    const result = await checkMinerFiles(input);
    assertEquals(result.zeroReason, null);
    assertEquals(result.quality.plausibility, 950_000);
    const plausibility = check(result, "plausibility");
    assertEquals(plausibility.ok, false);
    assertMatch(
      plausibility.detail,
      /^95.00% of 60 rows plausible; price outside \[10000, 50000000\]: 1 row/,
    );
    assertMatch(plausibility.detail, /over 1 degree from the ZIP centre: 1 row/);
    assertMatch(plausibility.detail, /state other than the ZIP's: 1 row/);
  });
});

Deno.test("checkMinerFiles() refuses more rows than maxRows before reading them", async () => {
  await withDir(async (dir) => {
    const result = await checkMinerFiles(await upload(dir), { maxRows: 50 });
    assertMatch(result.zeroReason!, /^row_counts: .*60 rows in total exceeds the limit of 50/);
    assertEquals(check(result, "stamp").detail, "not checked: no data was read");
  });
});

Deno.test("checkMinerFiles() reports a deadline instead of hanging", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir);
    const result = await checkMinerFiles(input, { timeoutMs: 1 });
    assertMatch(result.zeroReason!, /^deadline: the checks did not finish within 1 ms/);
  });
});

Deno.test("checkMinerFiles() shares a caller's instance and leaves it open", async () => {
  await withDir(async (dir) => {
    const instance = await DuckDBInstance.create(":memory:");
    try {
      const input = await upload(dir);
      const [a, b] = await Promise.all([
        checkMinerFiles(input, { instance }),
        checkMinerFiles({ ...input, nonce: "ffffffffffffffffffffffffffffffff" }, { instance }),
      ]);
      assertEquals(a.zeroReason, null);
      assertMatch(b.zeroReason!, /^stamp: /);
      assertEquals((await checkMinerFiles(input, { instance })).counts.rows, 60);
    } finally {
      instance.closeSync();
    }
  });
});

Deno.test("checkMinerFiles() throws for malformed input only", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir);
    await assertRejects(
      () => checkMinerFiles({ ...input, files: [input.files[0], input.files[0]] }),
      RangeError,
      "paths must be unique",
    );
    await assertRejects(
      () => checkMinerFiles({ ...input, endMs: input.startMs }),
      RangeError,
      "epoch window",
    );
    await assertRejects(() => checkMinerFiles({ ...input, maxFileBytes: 0 }), RangeError, "maxFileBytes");
  });
});

Deno.test("checkMinerFiles() zeroes NaN, infinite and out-of-range numbers in any numeric column", async () => {
  await withDir(async (dir) => {
    const cases: [string, string][] = [
      ["latitude", "'NaN'::DOUBLE"],
      ["longitude", "'-Infinity'::DOUBLE"],
      ["bathrooms", "'Infinity'::DOUBLE"],
      ["tax_assessed_value", "'NaN'::DOUBLE"],
      ["latitude", "91.0::DOUBLE"],
      ["price", "-5::BIGINT"],
      ["photo_count", "-1::INTEGER"],
      ["listed_date", "'infinity'::DATE"],
    ];
    for (const [column, value] of cases) {
      const input = await upload(dir, {
        files: async (files) => {
          const bent = join(dir, `bent-${column}.parquet`);
          await copyToParquet(
            `SELECT * REPLACE (CASE WHEN zpid = (SELECT min(zpid) FROM read_parquet('${files[1].path}')) ` +
              `THEN ${value} ELSE ${column} END AS ${column}) FROM read_parquet('${files[1].path}')`,
            bent,
          );
          return files.map((f, i) => (i === 1 ? { ...f, path: bent } : f));
        },
      });
      const result = await assertZeroed(input, "values", /NaN, infinite or out-of-range number: 1 row/);
      assertMatch(result.zeroReason!, /zipcode=77002/, `${column} = ${value}`);
    }
  });
});

Deno.test("checkMinerFiles() refuses a compression bomb by its footers, unread", async () => {
  await withDir(async (dir) => {
    const input = await upload(dir, {
      files: async (files) => {
        // 20 rows whose street is 1 MB of one letter (each distinct, so no dictionary):
        // compression shrinks 20 MB to a few KB.
        const bomb = join(dir, "bomb.parquet");
        await copyToParquet(
          `SELECT * REPLACE (repeat('a', 1048576) || zpid AS street) FROM read_parquet('${files[0].path}')`,
          bomb,
          "FORMAT parquet, COMPRESSION zstd",
        );
        assert((await Deno.stat(bomb)).size < 200_000, "the bomb is small on disk");
        return files.map((f, i) => (i === 0 ? { ...f, path: bomb } : f));
      },
    });
    const result = await assertZeroed(
      input,
      "files",
      /zipcode=77001\/listings.parquet": decodes to \d+ bytes/,
    );
    assertEquals(result.counts.perZipcode, { "77001": 0, "77002": 20, "77003": 20 });
  });
});
