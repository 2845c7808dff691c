/**
 * The object-key layout of the subnet's buckets, in one place. Miner data is Hive-partitioned so DuckDB,
 * Spark or Athena read it as it is:
 *
 *   data/hotkey={hotkey}/epoch={epochId}/zipcode={zip}/{file}.parquet   one file per ZIP (or more)
 *   data/hotkey={hotkey}/epoch={epochId}/manifest.json                  the signed upload manifest (one part)
 *   data/hotkey={hotkey}/epoch={epochId}/parts/{part}.json              part manifests, part = 0000..
 *   validators/{hotkey}/epoch={epochId}/{name}                          a validator's published outputs
 *
 * Builders validate every part; `parseObjectKey` accepts only keys the builders could have produced, so a
 * key carrying `..`, `//`, a backslash, `%`, whitespace or a control character can never reach storage or
 * another hotkey's prefix. Vectors: tests/vectors/s3_keys.json.
 * @module
 */
import { parseEpochId } from "./epoch.ts";

/** Every miner upload lives under this prefix; the API grants write access below `data/hotkey={hk}/`. */
export const MINER_ROOT = "data/";
/** The common prefix of every miner's folder, for listing all miners (with delimiter "/"). */
export const ALL_MINERS_PREFIX = `${MINER_ROOT}hotkey=`;
/** Every validator output lives under this prefix. */
export const VALIDATOR_ROOT = "validators/";
/** How a miner's upload folder is laid out, for clients and docs. */
export const MINER_LAYOUT = {
  folder_structure: `${MINER_ROOT}hotkey={hotkey}/epoch={epochId}/zipcode={zipcode}/{file}.parquet`,
  description:
    `One folder per epoch and ZIP code, plus ${MINER_ROOT}hotkey={hotkey}/epoch={epochId}/manifest.json`,
} as const;
/** The manifest's file name inside an epoch folder. */
export const MANIFEST_FILE = "manifest.json";
/** The folder of part manifests inside an epoch folder. */
export const PARTS_FOLDER = "parts";
/** The largest part index a key may carry (4 digits). */
export const MAX_PART_INDEX = 9999;
/** The files a validator publishes for a judged epoch, below `validatorEpochPrefix`. */
export const OUTPUT_FILES = {
  winners: "winners.parquet",
  report: "validation_report.json",
  metadata: "epoch_metadata.json",
  evidence: "evidence/spot_checks.json",
  /** What the report was derived from (`shared/schemas/audit.ts`), for `deno task verify`. */
  audit: "audit/facts.json",
} as const;

const HOTKEY_PATTERN = /^5[1-9A-HJ-NP-Za-km-z]{47}$/;
const ZIPCODE_PATTERN = /^\d{5}$/;
const FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DATA_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.parquet$/;
const MAX_VALIDATOR_DEPTH = 3;

/** A parsed object key. */
export type ObjectKey =
  | { kind: "minerData"; hotkey: string; epochId: string; zipcode: string; file: string }
  | { kind: "minerManifest"; hotkey: string; epochId: string; part?: number }
  | { kind: "validatorFile"; hotkey: string; epochId: string; path: string };

function checkHotkey(hotkey: string): string {
  if (!HOTKEY_PATTERN.test(hotkey)) {
    throw new RangeError(`Invalid hotkey "${hotkey}": expected an SS58 address`);
  }
  return hotkey;
}

function checkEpochId(epochId: string): string {
  parseEpochId(epochId);
  return epochId;
}

function checkZipcode(zipcode: string): string {
  if (!ZIPCODE_PATTERN.test(zipcode)) {
    throw new RangeError(`Invalid ZIP code "${zipcode}": expected 5 digits`);
  }
  return zipcode;
}

function checkValidatorPath(path: string): string {
  const parts = path.split("/");
  if (parts.length > MAX_VALIDATOR_DEPTH || !parts.every((p) => FILE_PATTERN.test(p) && !/^\.+$/.test(p))) {
    throw new RangeError(
      `Invalid output name "${path}": use up to 3 segments of letters, digits, ".", "_", "-"`,
    );
  }
  return path;
}

/** `data/hotkey={hotkey}/`: everything a miner may write. */
export function minerPrefix(hotkey: string): string {
  return `${ALL_MINERS_PREFIX}${checkHotkey(hotkey)}/`;
}

/** `data/hotkey={hotkey}/epoch={epochId}/`: one miner's upload for one epoch. */
export function minerEpochPrefix(hotkey: string, epochId: string): string {
  return `${minerPrefix(hotkey)}epoch=${checkEpochId(epochId)}/`;
}

/** The key of one Parquet data file. */
export function minerDataKey(hotkey: string, epochId: string, zipcode: string, file: string): string {
  if (!DATA_FILE_PATTERN.test(file)) {
    throw new RangeError(`Invalid data file name "${file}": expected *.parquet`);
  }
  return `${minerEpochPrefix(hotkey, epochId)}zipcode=${checkZipcode(zipcode)}/${file}`;
}

/** The key of a miner's upload manifest for an epoch. */
export function minerManifestKey(hotkey: string, epochId: string): string {
  return `${minerEpochPrefix(hotkey, epochId)}${MANIFEST_FILE}`;
}

/** The key of part `part` (0..9999) of a miner's upload for an epoch: `.../parts/0000.json`. */
export function minerPartManifestKey(hotkey: string, epochId: string, part: number): string {
  if (!Number.isInteger(part) || part < 0 || part > MAX_PART_INDEX) {
    throw new RangeError(`Invalid part "${part}": expected an integer in 0..${MAX_PART_INDEX}`);
  }
  return `${minerEpochPrefix(hotkey, epochId)}${PARTS_FOLDER}/${String(part).padStart(4, "0")}.json`;
}

/** `validators/{hotkey}/`: everything a validator may write. */
export function validatorPrefix(hotkey: string): string {
  return `${VALIDATOR_ROOT}${checkHotkey(hotkey)}/`;
}

/** `validators/{hotkey}/epoch={epochId}/`: one validator's outputs for one judged epoch. */
export function validatorEpochPrefix(hotkey: string, epochId: string): string {
  return `${validatorPrefix(hotkey)}epoch=${checkEpochId(epochId)}/`;
}

/** The key of one validator output, e.g. `validation_report.json` or `evidence/spot_checks.json`. */
export function validatorKey(hotkey: string, epochId: string, path: string): string {
  return `${validatorEpochPrefix(hotkey, epochId)}${checkValidatorPath(path)}`;
}

/**
 * Parses a key of the layout above, throwing `SyntaxError` (with the reason) for anything else. Pass
 * `hotkey` to also require that the key belongs to that hotkey.
 */
export function parseObjectKey(key: string, options: { hotkey?: string } = {}): ObjectKey {
  const fail = (why: string): never => {
    throw new SyntaxError(`Invalid object key ${JSON.stringify(key)}: ${why}`);
  };
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\s\\%]/.test(key)) {
    fail("control characters, whitespace, \\ and % are not allowed");
  }
  if (key.startsWith("/") || key.includes("//")) fail("empty path segments are not allowed");
  if (key.split("/").some((s) => s === "." || s === "..")) fail("relative segments are not allowed");

  let parsed: ObjectKey | undefined;
  const parts = key.split("/");
  try {
    if (parts[0] === "data" && parts[1]?.startsWith("hotkey=") && parts[2]?.startsWith("epoch=")) {
      const hotkey = parts[1].slice("hotkey=".length);
      const epochId = parts[2].slice("epoch=".length);
      if (parts.length === 4 && parts[3] === MANIFEST_FILE) {
        minerManifestKey(hotkey, epochId);
        parsed = { kind: "minerManifest", hotkey, epochId };
      } else if (parts.length === 5 && parts[3] === PARTS_FOLDER && /^\d{4}\.json$/.test(parts[4])) {
        const part = Number(parts[4].slice(0, 4));
        minerPartManifestKey(hotkey, epochId, part);
        parsed = { kind: "minerManifest", hotkey, epochId, part };
      } else if (parts.length === 5 && parts[3].startsWith("zipcode=")) {
        const zipcode = parts[3].slice("zipcode=".length);
        minerDataKey(hotkey, epochId, zipcode, parts[4]);
        parsed = { kind: "minerData", hotkey, epochId, zipcode, file: parts[4] };
      }
    } else if (parts[0] === "validators" && parts[2]?.startsWith("epoch=") && parts.length >= 4) {
      const hotkey = parts[1];
      const epochId = parts[2].slice("epoch=".length);
      const path = parts.slice(3).join("/");
      validatorKey(hotkey, epochId, path);
      parsed = { kind: "validatorFile", hotkey, epochId, path };
    }
  } catch (error) {
    if (error instanceof RangeError || error instanceof SyntaxError) fail(error.message);
    throw error;
  }
  if (!parsed) return fail("not a zipmine data, manifest or validator key");
  if (options.hotkey !== undefined && parsed.hotkey !== options.hotkey) {
    fail(`it belongs to ${parsed.hotkey}, not ${options.hotkey}`);
  }
  return parsed;
}

/** True when `key` parses and lies under `prefix` (a prefix produced by the builders above). */
export function isKeyWithin(key: string, prefix: string): boolean {
  try {
    parseObjectKey(key);
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
  return key.startsWith(prefix);
}
