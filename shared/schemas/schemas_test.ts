import { assert, assertEquals } from "../../tests/assert.ts";
import { StatusRequestSchema } from "./zipcode_assignments.ts";
import { FolderAccessRequestSchema, ValidatorUploadRequestSchema } from "./s3_access.ts";
import { ListingRecordSchema } from "./listing.ts";
import { AssignmentResponseSchema, SignedQuerySchema } from "./zipcode_assignments.ts";
import { NonceSchema } from "./common.ts";
import { epochNonce, NONCE_HEX_CHARS } from "../epoch_secrets.ts";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const SIG = "ab".repeat(64);

Deno.test("StatusRequestSchema accepts the camelCase body of live clients", () => {
  const parsed = StatusRequestSchema.parse({
    hotkey: HOTKEY,
    signature: SIG,
    timestamp: 1_759_334_400,
    epochId: "2025-10-01T16-00-00",
    nonce: "376ce532f42cf2a5376ce532f42cf2a5",
    status: "IN_PROGRESS",
    listingsScraped: 10,
    zipcodesCompleted: [{ zipcode: "77001", listingsScraped: 10, completedAt: "2025-10-01T16:30:00.000Z" }],
    s3UploadComplete: false,
  });
  assertEquals(parsed.status, "IN_PROGRESS");
});

Deno.test("StatusRequestSchema maps snake_case aliases and lower-case states", () => {
  const parsed = StatusRequestSchema.parse({
    hotkey: HOTKEY,
    signature: `0x${SIG}`,
    timestamp: 1_759_334_400,
    epoch_id: "2025-10-01T16-00-00",
    nonce: "376ce532f42cf2a5376ce532f42cf2a5",
    status: "completed",
    listings_scraped: 3,
    s3_upload_complete: true,
    manifest_sha256: "c".repeat(64),
  });
  assertEquals([parsed.epochId, parsed.status, parsed.listingsScraped], [
    "2025-10-01T16-00-00",
    "COMPLETED",
    3,
  ]);
  assertEquals(parsed.manifestSha256, "c".repeat(64));
});

Deno.test("SignedQuerySchema coerces query-string timestamps and rejects out-of-range ones", () => {
  assertEquals(
    SignedQuerySchema.parse({ hotkey: HOTKEY, signature: SIG, timestamp: "1759334400" }).timestamp,
    1759334400,
  );
  assert(!SignedQuerySchema.safeParse({ hotkey: HOTKEY, signature: SIG, timestamp: "2147483648" }).success);
  assert(!SignedQuerySchema.safeParse({ hotkey: "5abc", signature: SIG, timestamp: "1759334400" }).success);
  assert(
    !SignedQuerySchema.safeParse({ hotkey: HOTKEY, signature: "0x12", timestamp: "1759334400" }).success,
  );
});

Deno.test("request schemas ignore the extra fields live clients send", () => {
  const folder = FolderAccessRequestSchema.parse({
    coldkey: "5C",
    hotkey: HOTKEY,
    signature: SIG,
    timestamp: 1_759_334_400,
    expiry: 1_759_420_800,
    extra: "ignored",
  });
  assert(!("extra" in folder));
  const upload = ValidatorUploadRequestSchema.parse({
    hotkey: HOTKEY,
    signature: SIG,
    timestamp: 1_759_334_400,
    epoch_id: "2025-10-01T16-00-00",
    retention_days: 180,
  });
  assertEquals([upload.epochId, upload.retentionDays, upload.purpose], [
    "2025-10-01T16-00-00",
    180,
    "epoch_validation_results",
  ]);
});

Deno.test("ListingRecordSchema rejects a row without its protocol columns or with a non-numeric zpid", () => {
  const row = {
    epoch_id: "2025-10-01T16-00-00",
    nonce: "376ce532f42cf2a5376ce532f42cf2a5",
    miner_hotkey: HOTKEY,
    zipcode: "77001",
    scraped_at: "2025-10-01T16:05:00.000Z",
    zpid: "900000001",
    source: "zillow",
    url: "https://www.zillow.com/homedetails/1-Main-St-Houston-TX-77001/900000001_zpid/",
    address_full: "1 Main St, Houston, TX 77001",
    street: "1 Main St",
    unit: null,
    city: "Houston",
    state: "TX",
    zip4: null,
    latitude: 29.75,
    longitude: -95.36,
    price: 350_000,
    listing_status: "FOR_SALE",
    home_type: "SINGLE_FAMILY",
    bedrooms: 3,
    bathrooms: 2.5,
    living_area_sqft: 1800,
    lot_size_sqft: 5000,
    year_built: 1998,
    days_on_zillow: 4,
    listed_date: "2025-09-27",
    zestimate: null,
    rent_zestimate: null,
    tax_assessed_value: null,
    mls_id: null,
    broker_name: null,
    photo_url: null,
    photo_count: 12,
    price_history: [{ date: "2025-09-27", event: "Listed for sale", price: 350_000 }],
    detail_enriched: true,
  };
  assert(ListingRecordSchema.safeParse(row).success);
  const { nonce: _n, ...noNonce } = row;
  assert(!ListingRecordSchema.safeParse(noNonce).success);
  assert(!ListingRecordSchema.safeParse({ ...row, zpid: "bldg-123" }).success);
});

Deno.test("NonceSchema accepts exactly the nonces epochNonce() derives, at every parse point", () => {
  const nonce = epochNonce("secret", "2025-10-01T16-00-00");
  assertEquals(nonce.length, NONCE_HEX_CHARS);
  for (const bad of [nonce.slice(0, 16), nonce + "00", nonce.toUpperCase(), "z".repeat(NONCE_HEX_CHARS)]) {
    assert(!NonceSchema.safeParse(bad).success, bad);
  }
  assert(NonceSchema.safeParse(nonce).success);
  // The wire shapes use the same rule: the assignment, the status body and the listing row.
  assertEquals(AssignmentResponseSchema.shape.nonce, NonceSchema);
  const status = {
    hotkey: HOTKEY,
    timestamp: 1_759_334_400,
    signature: SIG,
    epochId: "2025-10-01T16-00-00",
    status: "IN_PROGRESS",
  };
  assert(StatusRequestSchema.safeParse({ ...status, nonce }).success);
  assert(!StatusRequestSchema.safeParse({ ...status, nonce: nonce.slice(0, 16) }).success);
  assertEquals(ListingRecordSchema.shape.nonce, NonceSchema);
});
