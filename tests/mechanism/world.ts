/**
 * One simulated epoch of the mechanism simulator: the market (ZIPs of for-sale listings plus real listings
 * that are not for sale), the miners' submissions as rows with a lie label, and the validators with their
 * stake, block rate and (for a liar) what they vote. Everything is drawn from one seeded PRNG, so a trial is
 * reproducible from its seed.
 * @module
 */
import type { Prng } from "../../shared/prng.ts";
import type { LieKind } from "./lies.ts";

/** The world's shape. */
export const WORLD = {
  zips: 8,
  forSalePerZip: 250,
  notForSalePerZip: 150,
  /** Share of each ZIP's listings an honest miner finds (pagination caps, blocks). */
  honestCoverage: 0.97,
  epochMinutes: 225,
} as const;

/** One submitted row: which ZIP it belongs to and how it lies (null: honest, "fake": no such listing). */
export interface SimRow {
  zip: string;
  lie: LieKind | "fake" | null;
  /** The per-row scraped_at key: equal across hotkeys only when one scrape was copied. */
  scrapeId: string;
  /** False for a row reported with its true not-for-sale status (it earns no volume). Default true. */
  forSale?: boolean;
}

/** One part of a submission: the ZIPs it delivers and the minute of its receipt. */
export interface SimPart {
  receivedMin: number;
  zips: readonly string[];
}

/** One miner hotkey's submission. */
export interface SimMiner {
  hotkey: string;
  /** Rows by zpid. */
  rows: Map<string, SimRow>;
  parts: SimPart[];
  /** The completeness its claims earn under the real rule (fixed point). */
  completeness: number;
}

/** What a lying validator votes, per miner hotkey, regardless of the page. */
export interface SimLiar {
  votes: Readonly<Record<string, "valid" | "invalid">>;
}

/** One validator. */
export interface SimValidator {
  hotkey: string;
  stake: number;
  /** Probability that one of its fetches is blocked or times out (an unknown). */
  blockRate: number;
  liar?: SimLiar;
}

/** The zip code of index `z`. */
export function zipOf(z: number): string {
  return String(77001 + z).padStart(5, "0");
}

/** All assigned ZIP codes. */
export const ZIPS: readonly string[] = Array.from({ length: WORLD.zips }, (_, z) => zipOf(z));

/** The zpid of the i-th for-sale listing of ZIP index z. */
export function forSaleZpid(z: number, i: number): string {
  return String(100_000_000 + z * 10_000 + i);
}

/** The zpid of the i-th real listing of ZIP index z that is not for sale. */
export function notForSaleZpid(z: number, i: number): string {
  return String(200_000_000 + z * 10_000 + i);
}

/** An honest scrape: each for-sale listing found with probability `coverage`. */
export function honestScrape(prng: Prng, scraper: string, coverage: number = WORLD.honestCoverage) {
  const rows = new Map<string, SimRow>();
  for (let z = 0; z < WORLD.zips; z++) {
    for (let i = 0; i < WORLD.forSalePerZip; i++) {
      if (prng.nextFloat() < coverage) {
        rows.set(forSaleZpid(z, i), { zip: zipOf(z), lie: null, scrapeId: `${scraper}:${z}:${i}` });
      }
    }
  }
  return rows;
}

/** Replaces a share of `rows` with invented listings (zpids that do not exist), at least one when share > 0. */
export function fabricate(prng: Prng, rows: Map<string, SimRow>, share: number, tag: string) {
  const zpids = [...rows.keys()];
  const n = share <= 0 ? 0 : Math.max(1, Math.round(zpids.length * share));
  for (const zpid of prng.sample(zpids, n)) {
    const row = rows.get(zpid)!;
    rows.delete(zpid);
    const fake = String(900_000_000 + prng.nextBelow(90_000_000));
    rows.set(fake, { zip: row.zip, lie: "fake", scrapeId: `${tag}:fake:${fake}` });
  }
  return rows;
}

/** Labels a share of `rows` with lies drawn in turn from `kinds`. */
export function tamper(prng: Prng, rows: Map<string, SimRow>, share: number, kinds: readonly LieKind[]) {
  const zpids = [...rows.keys()];
  const n = Math.round(zpids.length * share);
  prng.sample(zpids, n).forEach((zpid, i) => rows.get(zpid)!.lie = kinds[i % kinds.length]);
  return rows;
}

/**
 * Adds `perZip` real listings that are not for sale (the padder): claimed FOR_SALE with lie `lie`, or,
 * with `lie` null, reported with their true status.
 */
export function pad(
  rows: Map<string, SimRow>,
  perZip: number,
  tag: string,
  lie: "padding" | "padding_unlisted" | null = "padding",
) {
  for (let z = 0; z < WORLD.zips; z++) {
    for (let i = 0; i < perZip; i++) {
      rows.set(notForSaleZpid(z, i), {
        zip: zipOf(z),
        lie,
        scrapeId: `${tag}:pad:${z}:${i}`,
        forSale: lie !== null,
      });
    }
  }
  return rows;
}

/** One part holding every ZIP, received at `minute`. */
export function wholeAt(minute: number): SimPart[] {
  return [{ receivedMin: minute, zips: ZIPS }];
}
