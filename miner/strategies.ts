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
 * - late: tries to upload honestly 5 s after the deadline: no policy is issued then, so it has no submission.
 *
 * Hostile uploads, which must cost the validators nothing but this miner's own zero:
 * - null_manifest: stores the manifest as the JSON text `null`;
 * - dup_key_manifest: signs a manifest that lists its first file twice;
 * - missing_files: signs an honest manifest but never uploads the data files;
 * - huge_manifest: signs a manifest naming 10,000 files (over the validators' file budget);
 * - nan_values: writes NaN and Infinity into numeric columns of a few rows per ZIP.
 *
 * The smart cheats of issue 14 (`strategy_rewrites.ts`; localnet's `--roster adversarial`):
 * - filler: invents the detail columns the spot check used not to compare;
 * - partial_fast: scrapes and submits only the assignment's smallest ZIP, as early as it can (not a lie:
 *   it must rank below every complete honest miner);
 * - padder: adds the market's real not-for-sale homes, claimed FOR_SALE;
 * - tamperer: small edits inside the old tolerances (price, baths, area, type, street) on every row;
 * - twin_fabricator: fakes shared with every other hotkey running it, so they corroborate each other;
 * - restamper: stamps rows as scraped after its own receipt;
 * - sybil: one scrape under several hotkeys (rows equal down to `scraped_at`): only one may rank.
 * @module
 */
import { canonicalJson } from "../shared/canonical_json.ts";
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { minerDataKey, parseObjectKey } from "../shared/s3_keys.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";
import type { SignedManifest } from "../shared/schemas/manifest.ts";
import type { AssignmentResponse } from "../shared/schemas/zipcode_assignments.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { fabricate, fill, pad, stampAll, tamper } from "./strategy_rewrites.ts";

/** Every strategy's name: the values of MINER_STRATEGY (miner/config.ts). */
export const MINER_STRATEGIES = [
  "honest",
  "fabricator",
  "wrong_zip",
  "nonceless",
  "stale",
  "duplicator",
  "late",
  "null_manifest",
  "dup_key_manifest",
  "missing_files",
  "huge_manifest",
  "nan_values",
  "filler",
  "partial_fast",
  "padder",
  "tamperer",
  "twin_fabricator",
  "restamper",
  "sybil",
] as const;

/** A strategy's name. */
export type MinerStrategy = typeof MINER_STRATEGIES[number];

/** The miner's upload function, which hostile strategies wrap. */
export type UploadFn = (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;

/** How a strategy changes the runner. */
export interface StrategyHooks {
  transformRows?: (rows: ListingRecord[], zipcode: string) => ListingRecord[] | Promise<ListingRecord[]>;
  /** Which of the assigned ZIPs (with their expected counts) to scrape; default all. */
  selectZips?: (zipcodes: readonly { zipcode: string; expectedListings: number }[]) => string[];
  /** Uploads wait until this long after the submission deadline. */
  uploadDelayAfterDeadlineMs?: number;
  /** Rewrites what is uploaded (the caller applies it with `strategyUpload`). */
  wrapUpload?: (upload: UploadFn) => UploadFn;
}

/** `upload` as the strategy's hooks rewrite it. */
export function strategyUpload(hooks: StrategyHooks, upload: UploadFn): UploadFn {
  return hooks.wrapUpload ? hooks.wrapUpload(upload) : upload;
}

const HUGE_MANIFEST_FILES = 10_000;

/** The simulator's pending homes of `zipcode` (its truth endpoint; a real padder reads sold searches). */
async function notForSale(context: StrategyContext, zipcode: string): Promise<Record<string, unknown>[]> {
  const response = await context.fetch(`${context.siteUrl}/__sim/inventory/${zipcode}`);
  if (!response.ok) throw new Error(`padder: the market answered ${response.status} for ${zipcode}`);
  const body = await response.json() as { pending?: Record<string, unknown>[] };
  return body.pending ?? [];
}

/** Wraps uploads: the manifest's bytes go through `manifest`, data files through `data` (null: skipped). */
function rewriting(
  manifest: (text: string) => string,
  data: (bytes: Uint8Array) => Uint8Array | null = (b) => b,
): (upload: UploadFn) => UploadFn {
  return (upload) => (key, bytes, deadline) => {
    const kind = parseObjectKey(key).kind;
    if (kind === "minerManifest") {
      return upload(key, new TextEncoder().encode(manifest(new TextDecoder().decode(bytes))), deadline);
    }
    const out = kind === "minerData" ? data(bytes) : bytes;
    return out ? upload(key, out, deadline) : Promise.resolve();
  };
}

/** Re-signs the manifest `text` after `edit` changed its body. */
function resigned(
  pair: KeyringPair | undefined,
  text: string,
  edit: (m: SignedManifest["manifest"]) => void,
) {
  if (!pair) throw new RangeError("This strategy needs the miner's key to re-sign its manifest");
  const signed = JSON.parse(text) as SignedManifest;
  edit(signed.manifest);
  return encodeManifest(signManifest(pair, signed.manifest)).text;
}

const TWO_HOURS_MS = 7_200_000;

/** The epoch and the market a strategy plays against. */
export interface StrategyContext {
  epochStartMs: number;
  submissionDeadlineMs: number;
  /** LISTING_SITE_URL: the padder reads the simulator's not-for-sale homes there. */
  siteUrl: string;
  fetch: typeof fetch;
}

/** The context of the epoch of `assignment` on the market at LISTING_SITE_URL. */
export function strategyContext(
  assignment: Pick<AssignmentResponse, "epochStart" | "submissionDeadline">,
  config: { LISTING_SITE_URL: string },
  fetchFn: typeof fetch = fetch,
): StrategyContext {
  return {
    epochStartMs: Date.parse(assignment.epochStart),
    submissionDeadlineMs: Date.parse(assignment.submissionDeadline),
    siteUrl: config.LISTING_SITE_URL,
    fetch: fetchFn,
  };
}

/** The hooks of `strategy` for the epoch of `context`. */
export function strategyHooks(
  strategy: MinerStrategy,
  context: StrategyContext,
  pair?: KeyringPair,
): StrategyHooks {
  const { epochStartMs } = context;
  switch (strategy) {
    case "honest":
      return {};
    case "fabricator":
      return { transformRows: (rows, zipcode) => fabricate(rows, `${zipcode}|${epochStartMs}`) };
    case "twin_fabricator":
      return { transformRows: (rows, zipcode) => fabricate(rows, `twin|${zipcode}|${epochStartMs}`) };
    case "filler":
      return { transformRows: (rows, zipcode) => fill(rows, `${zipcode}|${epochStartMs}`) };
    case "tamperer":
      return { transformRows: (rows) => tamper(rows) };
    case "restamper":
      return { transformRows: (rows) => stampAll(rows, context.submissionDeadlineMs - 1_000) };
    case "sybil":
      return { transformRows: (rows) => stampAll(rows, epochStartMs + 1_000) };
    case "partial_fast":
      return {
        selectZips: (zips) => [[...zips].sort((a, b) => a.expectedListings - b.expectedListings)[0].zipcode],
      };
    case "padder":
      return { transformRows: async (rows, zipcode) => pad(rows, await notForSale(context, zipcode)) };
    case "wrong_zip":
      return {
        transformRows: (rows, zipcode) =>
          rows.map((row) => ({ ...row, zipcode: zipcode === "00501" ? "00544" : "00501" })),
      };
    case "nonceless":
      return { transformRows: (rows) => rows.map((row) => ({ ...row, nonce: "" })) };
    case "stale":
      return { transformRows: (rows) => stampAll(rows, epochStartMs - TWO_HOURS_MS) };
    case "duplicator":
      return { transformRows: (rows) => [...rows, ...rows.slice(0, Math.ceil(rows.length / 3))] };
    case "late":
      return { uploadDelayAfterDeadlineMs: 5_000 };
    case "null_manifest":
      return { wrapUpload: rewriting(() => canonicalJson(null)) };
    case "dup_key_manifest":
      return {
        wrapUpload: rewriting((text) => resigned(pair, text, (m) => m.files.push({ ...m.files[0] }))),
      };
    case "missing_files":
      return { wrapUpload: rewriting((text) => text, () => null) };
    case "huge_manifest":
      return {
        wrapUpload: rewriting((text) =>
          resigned(pair, text, (m) => {
            const template = m.files[0];
            for (let i = m.files.length; i < HUGE_MANIFEST_FILES; i++) {
              const key = minerDataKey(m.miner_hotkey, m.epoch_id, template.zipcode, `extra-${i}.parquet`);
              m.files.push({ ...template, key, rows: 1, bytes: 100 });
            }
          })
        ),
      };
    case "nan_values":
      return {
        transformRows: (rows) =>
          // The writer reads JSON, where the strings "NaN" and "Infinity" cast to those DOUBLEs.
          rows.map((row, i) =>
            i % 10 === 0
              ? { ...row, latitude: "NaN" as unknown as number, bathrooms: "Infinity" as unknown as number }
              : row
          ),
      };
  }
}
