import { DuckDBInstance } from "@duckdb/node-api";
import { assertEquals } from "../tests/assert.ts";
import { sampleListing } from "../tests/fixtures/listings.ts";
import { writeListingsParquet } from "../shared/adapters/duckdb/listings_parquet.ts";
import { buildWinnersParquet, publishOutputs } from "./publish.ts";

const A = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const B = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const stamp = (hotkey: string) => ({
  epochId: "2025-10-01T16-00-00",
  nonce: "0123456789abcdef0123456789abcdef",
  minerHotkey: hotkey,
  zipcode: "77001",
  scrapedAt: "2025-10-01T16:05:00.000Z",
});

Deno.test("buildWinnersParquet() tags every winning row with rank, validator and time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await writeListingsParquet([0, 1].map((i) => sampleListing(i, stamp(A))), `${dir}/a.parquet`);
    const b = await writeListingsParquet([2].map((i) => sampleListing(i, stamp(B))), `${dir}/b.parquet`);
    await buildWinnersParquet({
      files: [a.path, b.path],
      ranks: [{ hotkey: B, rank: 1 }, { hotkey: A, rank: 2 }],
      validatorHotkey: "5Validator",
      validatedAt: "2025-10-01T23:00:00.000Z",
      output: `${dir}/winners.parquet`,
    });
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(
      `SELECT zpid, rank, validator_hotkey FROM read_parquet('${dir}/winners.parquet')`,
    )).getRowObjectsJson();
    connection.closeSync();
    instance.closeSync();
    assertEquals(rows, [
      { zpid: "900000002", rank: 1, validator_hotkey: "5Validator" },
      { zpid: "900000000", rank: 2, validator_hotkey: "5Validator" },
      { zpid: "900000001", rank: 2, validator_hotkey: "5Validator" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("publishOutputs() uploads canonical bytes under the validator's epoch folder, identically twice", async () => {
  const uploads: [string, string][] = [];
  const publish = () =>
    publishOutputs({
      upload: (key, bytes) => Promise.resolve(void uploads.push([key, new TextDecoder().decode(bytes)])),
      validatorHotkey: B,
      epochId: "2025-10-01T16-00-00",
      deadlineMs: Infinity,
      report: { b: 1, a: 2 },
      metadata: { epochId: "2025-10-01T16-00-00" },
      winners: new Uint8Array([1, 2]),
    });
  await publish();
  await publish();
  assertEquals(uploads.slice(0, 3), uploads.slice(3));
  assertEquals(uploads[1], [
    `validators/${B}/epoch=2025-10-01T16-00-00/validation_report.json`,
    '{"a":2,"b":1}',
  ]);
});
