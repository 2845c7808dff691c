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
 * @module
 */
import { canonicalJson } from "../shared/canonical_json.ts";
import { encodeManifest, signManifest } from "../shared/manifest.ts";
import { createPrng } from "../shared/prng.ts";
import { minerDataKey, parseObjectKey } from "../shared/s3_keys.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";
import type { SignedManifest } from "../shared/schemas/manifest.ts";
import type { KeyringPair } from "../shared/signature.ts";

/** A strategy's name. */
export type MinerStrategy =
  | "honest"
  | "fabricator"
  | "wrong_zip"
  | "nonceless"
  | "stale"
  | "duplicator"
  | "late"
  | "null_manifest"
  | "dup_key_manifest"
  | "missing_files"
  | "huge_manifest"
  | "nan_values";

/** The miner's upload function, which hostile strategies wrap. */
export type UploadFn = (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;

/** How a strategy changes the runner. */
export interface StrategyHooks {
  transformRows?: (rows: ListingRecord[], zipcode: string) => ListingRecord[];
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

/** The hooks of `strategy` for the epoch that starts at `epochStartMs`. */
export function strategyHooks(
  strategy: MinerStrategy,
  epochStartMs: number,
  pair?: KeyringPair,
): StrategyHooks {
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
