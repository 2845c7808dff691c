/**
 * The smart cheats of issue 14 as row rewrites (`strategies.ts` wires them into MINER_STRATEGY). Each is
 * what a careful cheater would do to an honest scrape; each must still score exactly 0:
 *
 * - fill: invents every unverified detail column (zip4, days on market, zestimates, MLS id, broker,
 *   photos, price history) on rows that lack them, to raise completeness;
 * - tamper: every row carries one of five edits inside the old tolerances, in rotation (price +9.5 %,
 *   bathrooms +0.5, area +2 %, home type OTHER, an invented street in `address_full`), so any sample meets
 *   them whatever the sampling draws;
 * - fabricateShared: replaces 5 % of each ZIP's rows (at least one) with invented listings drawn from a
 *   seed without the hotkey, so every hotkey running it (the twins) reports the same fakes;
 * - restamp: stamps every row as scraped just before the submission deadline, after its own receipt;
 * - stampTogether: stamps every row with one time derived from the epoch, so several hotkeys running it
 *   submit one scrape (rows equal down to `scraped_at`): the sybils;
 * - pad: adds the market's real not-for-sale (pending) homes of the ZIP, claimed as FOR_SALE.
 * @module
 */
import { createPrng, type Prng } from "../shared/prng.ts";
import { LISTING_COLUMNS, type ListingRecord } from "../shared/schemas/listing.ts";

const DAY_MS = 86_400_000;

/** Invents the detail columns a row lacks (the filler). */
export function fill(rows: readonly ListingRecord[], seed: string): ListingRecord[] {
  const prng = createPrng(`fill|${seed}`);
  return rows.map((row) => {
    const price = row.price ?? 250_000 + prng.nextBelow(500_000);
    const days = row.days_on_zillow ?? 1 + prng.nextBelow(120);
    const listed = row.listed_date ??
      new Date(Date.parse(row.scraped_at) - days * DAY_MS).toISOString().slice(0, 10);
    return {
      ...row,
      zip4: row.zip4 ?? String(prng.nextBelow(10_000)).padStart(4, "0"),
      days_on_zillow: days,
      listed_date: listed,
      zestimate: row.zestimate ?? Math.round(price * (0.9 + prng.nextFloat() / 5)),
      rent_zestimate: row.rent_zestimate ?? Math.round(price / 200),
      tax_assessed_value: row.tax_assessed_value ?? Math.round(price * 0.8),
      mls_id: row.mls_id ?? `MLS${1_000_000 + prng.nextBelow(9_000_000)}`,
      broker_name: row.broker_name ?? "Invented Realty",
      photo_url: row.photo_url ?? `https://photos.invalid/${row.zpid}.jpg`,
      photo_count: row.photo_count ?? 1 + prng.nextBelow(40),
      price_history: row.price_history ?? [{ date: listed, event: "Listed for sale", price }],
    };
  });
}

const TAMPERS: ((row: ListingRecord) => ListingRecord)[] = [
  (row) => ({ ...row, price: row.price === null ? null : Math.round(row.price * 1.095) }),
  (row) => ({ ...row, bathrooms: (row.bathrooms ?? 1) + 0.5 }),
  (row) => ({
    ...row,
    living_area_sqft: row.living_area_sqft === null ? null : Math.round(row.living_area_sqft * 1.02),
  }),
  (row) => ({ ...row, home_type: "OTHER" }),
  // Only the ZIP suffix of address_full used to be compared.
  (row) => ({ ...row, address_full: row.address_full.replace(/^[^,]*/, "1 Invented Street") }),
];

/** One tolerance-sized edit per row, in rotation (the tamperer). */
export function tamper(rows: readonly ListingRecord[]): ListingRecord[] {
  return rows.map((row, i) => TAMPERS[i % TAMPERS.length](row));
}

/** Replaces 5 % of the rows (at least one) with fakes from `seed` (the lone fabricator and the twins). */
export function fabricate(rows: readonly ListingRecord[], seed: string): ListingRecord[] {
  const prng = createPrng(`fabricate|${seed}`);
  const fakes = Math.max(1, Math.floor(rows.length / 20));
  return rows.map((row, i) => i >= fakes ? row : fakeOf(row, prng));
}

/** A careful fake: a fresh zpid everywhere it appears, so only a look at the source exposes it. */
function fakeOf(row: ListingRecord, prng: Prng): ListingRecord {
  const zpid = String(3_000_000_000 + prng.nextBelow(900_000_000));
  return {
    ...row,
    zpid,
    url: row.url.replace(/\/\d+_zpid\//, `/${zpid}_zpid/`),
    street: `${100 + prng.nextBelow(9000)} Invented Way`,
    price: 100_000 + prng.nextBelow(900_000),
    detail_enriched: false,
  };
}

/** Every row stamped at `atMs` (the restamper, the sybils). */
export function stampAll(rows: readonly ListingRecord[], atMs: number): ListingRecord[] {
  const at = new Date(atMs).toISOString();
  return rows.map((row) => ({ ...row, scraped_at: at }));
}

/** The ZIP's real homes that are not for sale, claimed as FOR_SALE with this miner's stamp (the padder). */
export function pad(
  rows: readonly ListingRecord[],
  notForSale: readonly Partial<Record<keyof ListingRecord, unknown>>[],
): ListingRecord[] {
  const template = rows[0];
  if (!template) return [...rows];
  const have = new Set(rows.map((r) => r.zpid));
  const protocol = new Set<keyof ListingRecord>([
    "epoch_id",
    "nonce",
    "miner_hotkey",
    "scraped_at",
    "source",
  ]);
  const padded = notForSale.filter((truth) => !have.has(String(truth.zpid))).map((truth) => {
    const row: Record<string, unknown> = { ...template };
    for (const column of LISTING_COLUMNS) {
      if (!protocol.has(column) && column in truth) row[column] = truth[column];
    }
    return { ...row, listing_status: "FOR_SALE", detail_enriched: true } as ListingRecord;
  });
  return [...rows, ...padded];
}
