/**
 * Integrity of one miner's upload, judged only on facts every validator sees identically: the bytes in
 * S3, their S3 modification times, and the API's server-timed receipt, never on anything the miner
 * claims about time. The checks run in a fixed order and the first failure is the miner's zero reason:
 *
 *  1. something was uploaded for the epoch              "no submission"
 *     and the folder is within its budget               "over budget: ..."
 *  2. the manifest exists, parses and is for this miner  "manifest missing" / "manifest malformed: ..."
 *  3. it is signed by the miner's hotkey                 "manifest signature invalid"
 *  4. every listed key is this miner's data for a ZIP    "manifest lists a foreign key: ..."
 *  5. the upload fits its budget (files, rows, bytes)    "over budget: ..." (`upload_budget.ts`)
 *  6. every listed file exists and is not oversized      "file missing: ..." / "file too large: ..."
 *  7. every file's SHA-256 equals the manifest's         "file changed after the manifest: ..."
 *  8. manifest and files were stored by the deadline     "late upload: ..."
 *  9. a COMPLETED receipt exists, by the deadline, for
 *     exactly this manifest                              "no COMPLETED receipt" / "late COMPLETED" /
 *                                                        "manifest changed after the receipt"
 * Row counts are checked against the manifest by the data checks (DuckDB), which read the files.
 * @module
 */
import { sha256Hex } from "./canonical_json.ts";
import { verifyManifest } from "./manifest.ts";
import type { ListedObject } from "./s3_list_xml.ts";
import { minerManifestKey, parseObjectKey } from "./s3_keys.ts";
import { budgetProblem, type UploadLimits } from "./upload_budget.ts";
import { type SignedManifest, SignedManifestSchema } from "./schemas/manifest.ts";
import type { CheckResult } from "./schemas/report.ts";
import type { SubmissionReceipt } from "./schemas/zipcode_assignments.ts";
import type { z } from "zod";

/** Everything the integrity checks look at. */
export interface UploadFacts {
  hotkey: string;
  epochId: string;
  deadlineMs: number;
  /** The listing of the miner's epoch folder. */
  objects: readonly ListedObject[];
  /** The manifest object's text, or null when it could not be downloaded. */
  manifestText: string | null;
  /** SHA-256 of each downloaded data file, by key. */
  fileSha256: Readonly<Record<string, string>>;
  receipt: SubmissionReceipt | null;
  limits: UploadLimits;
  /** Why gathering refused the folder before reading the manifest (e.g. too many objects), or null. */
  refused?: string | null;
}

/** The verdict. */
export interface IntegrityResult {
  zeroReason: string | null;
  checks: CheckResult[];
  manifest: SignedManifest | null;
  manifestSha256: string | null;
}

type ManifestFile = z.infer<typeof SignedManifestSchema>["manifest"]["files"][number];

/** Runs the checks in order; stops at the first failure. */
export function checkIntegrity(facts: UploadFacts): IntegrityResult {
  const checks: CheckResult[] = [];
  let manifest: SignedManifest | null = null;
  let manifestSha256: string | null = null;
  const fail = (name: string, reason: string): IntegrityResult => {
    checks.push({ name, ok: false, detail: reason });
    return { zeroReason: reason, checks, manifest, manifestSha256 };
  };
  const pass = (name: string, detail?: string) =>
    checks.push(detail ? { name, ok: true, detail } : { name, ok: true });

  if (facts.objects.length === 0) return fail("submitted", "no submission");
  if (facts.refused && facts.manifestText === null) return fail("budget", `over budget: ${facts.refused}`);
  pass("submitted", `${facts.objects.length} objects`);

  const manifestKey = minerManifestKey(facts.hotkey, facts.epochId);
  const manifestObject = facts.objects.find((o) => o.key === manifestKey);
  if (!manifestObject || facts.manifestText === null) return fail("manifest", "manifest missing");
  manifestSha256 = sha256Hex(facts.manifestText);
  const read = readManifest(facts.manifestText, facts);
  manifest = read.manifest;
  if (read.reason !== null) return fail("manifest", read.reason);
  const signed = read.manifest;
  pass("manifest");
  if (!verifyManifest(signed)) return fail("manifest_signature", "manifest signature invalid");
  pass("manifest_signature");

  const objects = new Map(facts.objects.map((o) => [o.key, o]));
  for (const file of signed.manifest.files) {
    const foreign = foreignKeyReason(file, facts);
    if (foreign) return fail("manifest_keys", `manifest lists a foreign key: ${foreign}`);
  }
  pass("manifest_keys", `${signed.manifest.files.length} files`);

  // Before presence: a manifest naming 10,000 files is refused for that, whether or not they exist.
  const overBudget = budgetProblem(signed.manifest.files, objects, facts.limits);
  if (overBudget) return fail("budget", `over budget: ${overBudget}`);
  pass("budget");

  const missing = missingFile(signed.manifest.files, objects, facts.limits);
  if (missing) return fail("files_present", missing);
  pass("files_present");

  const changed = signed.manifest.files.find((file) => facts.fileSha256[file.key] !== file.sha256);
  if (changed) return fail("files_hash", `file changed after the manifest: ${changed.key}`);
  pass("files_hash");

  const stored = [manifestObject, ...signed.manifest.files.map((f) => objects.get(f.key)!)];
  const late = stored.find((object) => object.lastModifiedMs > facts.deadlineMs);
  if (late) {
    return fail("on_time", `late upload: ${late.key} stored ${new Date(late.lastModifiedMs).toISOString()}`);
  }
  pass("on_time");

  if (!facts.receipt) return fail("receipt", "no COMPLETED receipt");
  if (Date.parse(facts.receipt.receivedAt) > facts.deadlineMs) return fail("receipt", "late COMPLETED");
  if (facts.receipt.manifestSha256 !== manifestSha256) {
    return fail("receipt", "manifest changed after the receipt");
  }
  pass("receipt", facts.receipt.receivedAt);
  return { zeroReason: null, checks, manifest, manifestSha256 };
}

/**
 * The manifest parsed and checked to name this miner and epoch, with the reason when it is not; the parsed
 * manifest is kept when only its names are wrong (the verdict reports it).
 */
function readManifest(
  text: string,
  facts: UploadFacts,
): { manifest: SignedManifest; reason: null } | { manifest: SignedManifest | null; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { manifest: null, reason: "manifest malformed: not JSON" };
  }
  const parsed = SignedManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      manifest: null,
      reason: `manifest malformed: ${[issue.path.join("."), issue.message].filter(Boolean).join(" ")}`,
    };
  }
  const manifest = parsed.data;
  if (manifest.manifest.miner_hotkey !== facts.hotkey || manifest.manifest.epoch_id !== facts.epochId) {
    return { manifest, reason: "manifest malformed: it names another hotkey or epoch" };
  }
  return { manifest, reason: null };
}

/** The first listed file that is missing or oversized, as the reason. */
function missingFile(
  files: readonly ManifestFile[],
  objects: ReadonlyMap<string, ListedObject>,
  limits: UploadLimits,
): string | null {
  for (const file of files) {
    const object = objects.get(file.key);
    if (!object) return `file missing: ${file.key}`;
    if (object.size > limits.maxFileBytes) return `file too large: ${file.key} (${object.size} bytes)`;
  }
  return null;
}

function foreignKeyReason(file: ManifestFile, facts: UploadFacts): string | null {
  try {
    const key = parseObjectKey(file.key, { hotkey: facts.hotkey });
    if (key.kind !== "minerData" || key.epochId !== facts.epochId || key.zipcode !== file.zipcode) {
      return file.key;
    }
    return null;
  } catch (error) {
    if (error instanceof SyntaxError) return file.key;
    throw error;
  }
}
