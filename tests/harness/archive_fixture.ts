/**
 * A small archive of validator outputs for the query tests, written with the project's own writers
 * (`writeListingsParquet`, `buildWinnersParquet`, canonical JSON checked against the report schemas):
 *
 * | epoch               | validator | files                          | ranks (winners: rank <= 2)     |
 * |---------------------|-----------|--------------------------------|--------------------------------|
 * | 2025-10-01T16-00-00 | V1, V2    | all                            | A 1, B 2, C none (score 0)     |
 * | 2025-10-01T20-00-00 | V1        | all                            | B 1, A 2, C 3                  |
 * | 2025-10-01T20-00-00 | V2        | report only                    | B 1, A 2, C 3                  |
 * | 2025-10-02T00-00-00 | V1        | all; winners file without rows | nobody scores                  |
 *
 * Listing 900000000 (ZIP 77001) costs 250000 in the first epoch and 255000 in the second.
 * @module
 */
import { join } from "node:path";
import { canonicalJson } from "../../shared/canonical_json.ts";
import { parseEpochId } from "../../shared/epoch.ts";
import { validatorKey } from "../../shared/s3_keys.ts";
import {
  EpochMetadataSchema,
  type MinerVerdict,
  type ValidationReport,
  ValidationReportSchema,
} from "../../shared/schemas/report.ts";
import { sampleListing } from "../fixtures/listings.ts";
import { writeListingsParquet } from "../../shared/adapters/duckdb/listings_parquet.ts";
import { buildWinnersParquet, OUTPUT_FILES } from "../../validator/publish.ts";

/** The validators (Alice, Bob). */
export const V1 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
export const V2 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
/** The miners (Charlie, Dave, Eve). */
export const A = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";
export const B = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";
export const C = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw";
/** The epochs, oldest first. */
export const EPOCHS = ["2025-10-01T16-00-00", "2025-10-01T20-00-00", "2025-10-02T00-00-00"] as const;

const ZIPCODES = ["77001", "77002"];
const WINNER_RANKS = 2;

interface MinerPlan {
  hotkey: string;
  uid: number;
  score: number;
  rank: number | null;
  weight: number;
  /** Sample-listing indexes per ZIP. */
  listings: Record<string, number[]>;
}

interface EpochPlan {
  epochId: string;
  validator: string;
  miners: MinerPlan[];
  files: "all" | "report";
}

const FIRST: MinerPlan[] = [
  {
    hotkey: A,
    uid: 1,
    score: 900_000,
    rank: 1,
    weight: 600_000,
    listings: { "77001": [0, 1], "77002": [2] },
  },
  { hotkey: B, uid: 2, score: 700_000, rank: 2, weight: 400_000, listings: { "77001": [0] } },
  { hotkey: C, uid: 3, score: 0, rank: null, weight: 0, listings: {} },
];
const SECOND: MinerPlan[] = [
  { hotkey: B, uid: 2, score: 800_000, rank: 1, weight: 600_000, listings: { "77001": [0, 1, 3] } },
  { hotkey: A, uid: 1, score: 600_000, rank: 2, weight: 400_000, listings: { "77002": [2] } },
  { hotkey: C, uid: 3, score: 100_000, rank: 3, weight: 0, listings: { "77002": [4] } },
];
const NOBODY: MinerPlan[] = FIRST.map((m) => ({ ...m, score: 0, rank: null, weight: 0, listings: {} }));

/** What the archive holds, one entry per epoch and validator. */
export const PLAN: readonly EpochPlan[] = [
  { epochId: EPOCHS[0], validator: V1, miners: FIRST, files: "all" },
  { epochId: EPOCHS[0], validator: V2, miners: FIRST, files: "all" },
  { epochId: EPOCHS[1], validator: V1, miners: SECOND, files: "all" },
  { epochId: EPOCHS[1], validator: V2, miners: SECOND, files: "report" },
  { epochId: EPOCHS[2], validator: V1, miners: NOBODY, files: "all" },
];

/** Writes the archive under `root` (the bucket's key layout); returns the keys written. */
export async function writeArchive(root: string): Promise<string[]> {
  const keys: string[] = [];
  const put = async (plan: EpochPlan, name: string, bytes: Uint8Array | string) => {
    const key = validatorKey(plan.validator, plan.epochId, name);
    const path = join(root, ...key.split("/"));
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await (typeof bytes === "string" ? Deno.writeTextFile(path, bytes) : Deno.writeFile(path, bytes));
    keys.push(key);
  };
  const scratch = await Deno.makeTempDir({ prefix: "zipmine-archive-" });
  try {
    for (const plan of PLAN) {
      const report = buildReport(plan);
      await put(plan, OUTPUT_FILES.report, canonicalJson(report));
      if (plan.files === "report") continue;
      await put(plan, OUTPUT_FILES.metadata, canonicalJson(buildMetadata(plan, report)));
      await put(plan, OUTPUT_FILES.evidence, JSON.stringify([]));
      await put(plan, OUTPUT_FILES.winners, await buildWinners(plan, report, scratch));
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  return keys;
}

function validatedAt(epochId: string): string {
  return new Date(parseEpochId(epochId) + 8 * 3600_000).toISOString();
}

function buildReport(plan: EpochPlan): ValidationReport {
  const verdict = (m: MinerPlan): MinerVerdict => {
    const perZipcode = Object.fromEntries(Object.entries(m.listings).map(([zip, ids]) => [zip, ids.length]));
    const rows = Object.values(perZipcode).reduce((a, b) => a + b, 0);
    return {
      hotkey: m.hotkey,
      uid: m.uid,
      submittedAt: new Date(parseEpochId(plan.epochId) + 3600_000).toISOString(),
      manifestSha256: m.score > 0 ? "a".repeat(64) : null,
      checks: [{ name: "nonce", ok: m.score > 0 }, { name: "schema", ok: true }],
      counts: { rows, uniqueListings: rows, duplicates: 0, perZipcode },
      spotChecks: Object.values(m.listings).flat().slice(0, 2).map((i) => ({
        zpid: String(900_000_000 + i),
        outcome: "valid" as const,
      })),
      components: { speed: m.score, quality: m.score, volume: m.score },
      score: m.score,
      rank: m.rank,
      weight: m.weight,
      reason: m.score > 0 ? null : "nonce mismatch",
    };
  };
  return ValidationReportSchema.parse({
    version: 1,
    epochId: plan.epochId,
    validatorHotkey: plan.validator,
    generatedAt: validatedAt(plan.epochId),
    seed: "seed",
    seedCommitment: "c".repeat(64),
    config: { TOP_SHARES: [60, 40] },
    miners: plan.miners.map(verdict),
    weights: Object.fromEntries(plan.miners.filter((m) => m.weight > 0).map((m) => [m.hotkey, m.weight])),
    burn: null,
    evidenceSha256: ["e".repeat(64)],
  });
}

function winnersOf(report: ValidationReport): MinerVerdict[] {
  return report.miners.filter((m) => m.rank !== null && m.rank <= WINNER_RANKS);
}

function buildMetadata(plan: EpochPlan, report: ValidationReport) {
  return EpochMetadataSchema.parse({
    epochId: plan.epochId,
    validatorHotkey: plan.validator,
    zipcodes: ZIPCODES,
    expectedListings: 10,
    validatedListings: report.miners.reduce((n, m) => Math.max(n, m.counts.uniqueListings), 0),
    winners: winnersOf(report).map((w) => ({ hotkey: w.hotkey, rank: w.rank!, weight: w.weight })),
    publishedAt: report.generatedAt,
  });
}

async function buildWinners(plan: EpochPlan, report: ValidationReport, scratch: string): Promise<Uint8Array> {
  const files: string[] = [];
  for (const m of plan.miners) {
    for (const [zipcode, ids] of Object.entries(m.listings)) {
      const stamp = {
        epochId: plan.epochId,
        nonce: "0123456789abcdef0123456789abcdef",
        minerHotkey: m.hotkey,
        zipcode,
        scrapedAt: new Date(parseEpochId(plan.epochId) + 1800_000).toISOString(),
      };
      // The listing's price rises by 5000 from the second epoch on.
      const bump = plan.epochId >= EPOCHS[1] ? 5000 : 0;
      const records = ids.map((i) => {
        const listing = sampleListing(i, stamp);
        return { ...listing, price: listing.price! + (i === 0 ? bump : 0) };
      });
      const path = join(scratch, `${plan.epochId}-${plan.validator}-${m.hotkey}-${zipcode}.parquet`);
      files.push((await writeListingsParquet(records, path)).path);
    }
  }
  const winners = winnersOf(report);
  return await buildWinnersParquet({
    files: winners.length === 0 ? [] : files,
    ranks: winners.map((w) => ({ hotkey: w.hotkey, rank: w.rank! })),
    validatorHotkey: plan.validator,
    validatedAt: report.generatedAt,
    output: join(scratch, `${plan.epochId}-${plan.validator}-winners.parquet`),
  });
}
