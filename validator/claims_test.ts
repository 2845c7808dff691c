import { assertEquals } from "../tests/assert.ts";
import { sampleListing } from "../tests/fixtures/listings.ts";
import { writeListingsParquet } from "../shared/adapters/duckdb/listings_parquet.ts";
import { readClaims } from "./claims.ts";

Deno.test("readClaims() returns the sampled rows exactly as the miner wrote them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stamp = {
      epochId: "2025-10-01T16-00-00",
      nonce: "0123456789abcdef0123456789abcdef",
      minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
      zipcode: "77001",
      scrapedAt: "2025-10-01T16:05:00.123Z",
    };
    const records = Array.from({ length: 5 }, (_, i) => sampleListing(i, stamp));
    records[3] = { ...records[3], price: null, price_history: null, listed_date: null };
    const file = await writeListingsParquet(records, `${dir}/a.parquet`);
    const claims = await readClaims([file.path], ["900000001", "900000003", "123"]);
    assertEquals([...claims.keys()].sort(), ["900000001", "900000003"]);
    assertEquals(claims.get("900000001"), records[1]);
    assertEquals(claims.get("900000003"), records[3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
