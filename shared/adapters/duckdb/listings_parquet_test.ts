import { DuckDBInstance } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { assertEquals } from "../../../tests/assert.ts";
import { sampleListing } from "../../../tests/fixtures/listings.ts";
import { LISTING_COLUMNS } from "../../schemas/listing.ts";
import { writeListingsParquet } from "./listings_parquet.ts";

const stamp = {
  epochId: "2025-10-01T16-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
  zipcode: "77001",
  scrapedAt: "2025-10-01T16:05:00.123Z",
};

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

Deno.test("writeListingsParquet() writes typed columns DuckDB reads back exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const records = Array.from({ length: 50 }, (_, i) => sampleListing(i, stamp));
    records[1] = { ...records[1], price: null, price_history: null, listed_date: null, bathrooms: 2.5 };
    const file = await writeListingsParquet(records, `${dir}/x.parquet`);
    const bytes = await Deno.readFile(file.path);
    assertEquals(file.rows, 50);
    assertEquals(file.sha256, createHash("sha256").update(bytes).digest("hex"));
    const types = await query(`DESCRIBE SELECT * FROM read_parquet('${file.path}')`);
    assertEquals(types.map((t) => t.column_name), LISTING_COLUMNS);
    assertEquals(types.find((t) => t.column_name === "scraped_at")?.column_type, "TIMESTAMP WITH TIME ZONE");
    const rows = await query(
      `SELECT zpid, price, bathrooms, scraped_at::VARCHAR AS at, len(price_history) AS events, nonce
       FROM read_parquet('${file.path}') ORDER BY zpid LIMIT 2`,
    );
    assertEquals(rows, [
      {
        zpid: "900000000",
        price: "250000",
        bathrooms: 1,
        at: "2025-10-01 16:05:00.123+00",
        events: "1",
        nonce: stamp.nonce,
      },
      {
        zpid: "900000001",
        price: null,
        bathrooms: 2.5,
        at: "2025-10-01 16:05:00.123+00",
        events: null,
        nonce: stamp.nonce,
      },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeListingsParquet() writes an empty file with the full schema", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = await writeListingsParquet([], `${dir}/empty.parquet`);
    assertEquals(file.rows, 0);
    const types = await query(`DESCRIBE SELECT * FROM read_parquet('${file.path}')`);
    assertEquals(types.length, LISTING_COLUMNS.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
