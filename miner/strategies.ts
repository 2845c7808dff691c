/**
 * Miner behaviours for localnet and tests: the honest miner and the cheats validators must catch, each a
 * small, deterministic rewrite of what an honest miner would submit (MINER_STRATEGY). Production miners run
 * "honest"; the others exist so the network's defences are exercised end to end.
 *
 * - fabricator: replaces a few listings per ZIP (5 %, at least one) with invented ones;
 * - wrong_zip: labels its rows with a ZIP that was not assigned;
 * - nonceless: leaves the epoch nonce out of every row;
 * - stale: stamps rows as scraped two hours before the epoch (pre-scraped data);
 * - duplicator: repeats a third of each ZIP's rows to inflate volume;
 * - late: submits honestly, but only after the deadline.
 * @module
 */
import { createPrng } from "../shared/prng.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";

/** A strategy's name. */
export type MinerStrategy =
  | "honest"
  | "fabricator"
  | "wrong_zip"
  | "nonceless"
  | "stale"
  | "duplicator"
  | "late";

/** How a strategy changes the runner. */
export interface StrategyHooks {
  transformRows?: (rows: ListingRecord[], zipcode: string) => ListingRecord[];
  /** Uploads wait until this long after the submission deadline. */
  uploadDelayAfterDeadlineMs?: number;
}

const TWO_HOURS_MS = 7_200_000;

/** The hooks of `strategy` for the epoch that starts at `epochStartMs`. */
export function strategyHooks(strategy: MinerStrategy, epochStartMs: number): StrategyHooks {
  switch (strategy) {
    case "honest":
      return {};
    case "fabricator":
      return {
        transformRows: (rows, zipcode) => {
          const prng = createPrng(`fabricate|${zipcode}|${epochStartMs}`);
          const fakes = Math.max(1, Math.floor(rows.length / 20));
          return rows.map((row, i) => {
            if (i >= fakes) return row;
            // A careful fake: a fresh zpid everywhere it appears, so only a look at the source exposes it.
            const zpid = String(3_000_000_000 + prng.nextBelow(900_000_000));
            return {
              ...row,
              zpid,
              url: row.url.replace(/\/\d+_zpid\//, `/${zpid}_zpid/`),
              street: `${100 + prng.nextBelow(9000)} Invented Way`,
              price: 100_000 + prng.nextBelow(900_000),
              detail_enriched: false,
            };
          });
        },
      };
    case "wrong_zip":
      return {
        transformRows: (rows, zipcode) =>
          rows.map((row) => ({ ...row, zipcode: zipcode === "00501" ? "00544" : "00501" })),
      };
    case "nonceless":
      return { transformRows: (rows) => rows.map((row) => ({ ...row, nonce: "" })) };
    case "stale":
      return {
        transformRows: (rows) =>
          rows.map((row) => ({ ...row, scraped_at: new Date(epochStartMs - TWO_HOURS_MS).toISOString() })),
      };
    case "duplicator":
      return { transformRows: (rows) => [...rows, ...rows.slice(0, Math.ceil(rows.length / 3))] };
    case "late":
      return { uploadDelayAfterDeadlineMs: 5_000 };
  }
}
