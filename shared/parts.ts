/**
 * Part manifests (issue 14: speed earned per listing delivered). A miner may sign and receipt parts of its
 * upload before the whole `manifest.json` (`parts/NNNN.json`, each with its own server receipt). The whole
 * manifest is still what is judged (integrity, data checks, spot checks); a part only says *when* some of
 * its files were delivered. A data file is credited to the earliest receipt, of a valid part or of the
 * whole manifest, that names it with the same key, SHA-256 and row count: the hash binds the bytes, so a
 * part receipted at t proves the miner held exactly that file at t.
 *
 * A part earns nothing (the miner is not zeroed: an interrupted upload is not a lie) when it is not
 * readable, its bytes are not the receipted ones, it is malformed, names another hotkey or epoch, is not
 * signed by the miner, its receipt is after the deadline, or it names a file the whole manifest does not
 * hold as is. Every validator reads the same S3 bytes and the same receipts, so the credit is the same on
 * each. Rows of a file must be scraped no later than the receipt it is credited to (the data checks' bound).
 * @module
 */
import { sha256Hex } from "./canonical_json.ts";
import { verifyManifest } from "./manifest.ts";
import { parseObjectKey } from "./s3_keys.ts";
import { type SignedManifest, SignedManifestSchema } from "./schemas/manifest.ts";
import type { CheckResult } from "./schemas/report.ts";
import type { SubmissionReceipt } from "./schemas/zipcode_assignments.ts";

/** One receipted part as gathered: its text (null when it could not be read) and its receipt. */
export interface GatheredPart {
  key: string;
  text: string | null;
  receipt: SubmissionReceipt;
}

/** What the parts established. */
export interface PartsCredit {
  /** The receipt time (ms) each of the whole manifest's data files is credited to, by key. */
  fileReceivedAtMs: Record<string, number>;
  /** The "parts" check of the report (never fatal). */
  check: CheckResult;
}

/** True for the key of a part manifest (`.../parts/NNNN.json`), false for the whole one or anything else. */
export function isPartKey(key: string | undefined): key is string {
  if (key === undefined) return false;
  try {
    const parsed = parseObjectKey(key);
    return parsed.kind === "minerManifest" && parsed.part !== undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

/** Why part `part` earns nothing, or null when it is valid. */
export function partProblem(
  part: GatheredPart,
  whole: SignedManifest,
  facts: { hotkey: string; epochId: string; deadlineMs: number },
): string | null {
  if (part.text === null) return "not readable";
  if (sha256Hex(part.text) !== part.receipt.manifestSha256) return "changed after its receipt";
  if (Date.parse(part.receipt.receivedAt) > facts.deadlineMs) return "receipted after the deadline";
  let parsed: SignedManifest;
  try {
    const result = SignedManifestSchema.safeParse(JSON.parse(part.text));
    if (!result.success) return "malformed";
    parsed = result.data;
  } catch (error) {
    if (error instanceof SyntaxError) return "malformed: not JSON";
    throw error;
  }
  if (parsed.manifest.miner_hotkey !== facts.hotkey || parsed.manifest.epoch_id !== facts.epochId) {
    return "names another hotkey or epoch";
  }
  if (!verifyManifest(parsed)) return "signature invalid";
  const held = new Map(whole.manifest.files.map((f) => [f.key, f]));
  for (const file of parsed.manifest.files) {
    const same = held.get(file.key);
    if (!same || same.sha256 !== file.sha256 || same.rows !== file.rows) {
      return `names ${file.key}, which the whole manifest does not hold as is`;
    }
  }
  return null;
}

/**
 * Credits each data file of the whole manifest (receipted at `wholeReceivedAtMs`) to the earliest receipt
 * naming it. Parts are judged in key order; a part whose receipt is not for its own key is ignored.
 */
export function creditParts(
  whole: SignedManifest,
  wholeReceivedAtMs: number,
  parts: readonly GatheredPart[],
  facts: { hotkey: string; epochId: string; deadlineMs: number },
): PartsCredit {
  const fileReceivedAtMs: Record<string, number> = {};
  for (const f of whole.manifest.files) fileReceivedAtMs[f.key] = wholeReceivedAtMs;
  const problems: string[] = [];
  let credited = 0;
  const ordered = [...parts].filter((p) => p.receipt.manifestKey === p.key)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const part of ordered) {
    const problem = partProblem(part, whole, facts);
    const name = part.key.split("/").at(-1);
    if (problem) {
      problems.push(`${name}: ${problem}`);
      continue;
    }
    credited++;
    const at = Date.parse(part.receipt.receivedAt);
    const files = (SignedManifestSchema.parse(JSON.parse(part.text!))).manifest.files;
    for (const f of files) fileReceivedAtMs[f.key] = Math.min(fileReceivedAtMs[f.key], at);
  }
  const detail = [`${credited} of ${ordered.length} parts credited`, ...problems].join("; ");
  return { fileReceivedAtMs, check: { name: "parts", ok: problems.length === 0, detail } };
}

/**
 * The deliveries scoring credits (`shared/scoring.ts` rule 2): one per distinct receipt time, holding the
 * listings of the files credited to it, per ZIP. `listings` is each file's credited count (e.g. its
 * for-sale listings).
 */
export function deliveriesOf(
  files: readonly { key: string; zipcode: string; listings: number }[],
  fileReceivedAtMs: Readonly<Record<string, number>>,
): { receivedAtMs: number; uniqueValidPerZip: Record<string, number> }[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const f of files) {
    const at = fileReceivedAtMs[f.key];
    if (at === undefined || f.listings === 0) continue;
    const perZip = byTime.get(at) ?? {};
    perZip[f.zipcode] = (perZip[f.zipcode] ?? 0) + f.listings;
    byTime.set(at, perZip);
  }
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([receivedAtMs, uniqueValidPerZip]) => ({
    receivedAtMs,
    uniqueValidPerZip,
  }));
}
