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
  let json: unknown;
  try {
    json = JSON.parse(facts.manifestText);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return fail("manifest", "manifest malformed: not JSON");
  }
  const parsed = SignedManifestSchema.safeParse(json);
  if (!parsed.success) {
    return fail(
      "manifest",
      `manifest malformed: ${
        [parsed.error.issues[0].path.join("."), parsed.error.issues[0].message].filter(Boolean).join(" ")
      }`,
    );
  }
  manifest = parsed.data;
  if (manifest.manifest.miner_hotkey !== facts.hotkey || manifest.manifest.epoch_id !== facts.epochId) {
    return fail("manifest", "manifest malformed: it names another hotkey or epoch");
  }
  pass("manifest");
  if (!verifyManifest(manifest)) return fail("manifest_signature", "manifest signature invalid");
  pass("manifest_signature");

  const objects = new Map(facts.objects.map((o) => [o.key, o]));
  for (const file of manifest.manifest.files) {
    const foreign = foreignKeyReason(file, facts);
    if (foreign) return fail("manifest_keys", `manifest lists a foreign key: ${foreign}`);
  }
  pass("manifest_keys", `${manifest.manifest.files.length} files`);

  // Before presence: a manifest naming 10,000 files is refused for that, whether or not they exist.
  const overBudget = budgetProblem(manifest.manifest.files, objects, facts.limits);
  if (overBudget) return fail("budget", `over budget: ${overBudget}`);
  pass("budget");

  for (const file of manifest.manifest.files) {
    const object = objects.get(file.key);
    if (!object) return fail("files_present", `file missing: ${file.key}`);
    if (object.size > facts.limits.maxFileBytes) {
      return fail("files_present", `file too large: ${file.key} (${object.size} bytes)`);
    }
  }
  pass("files_present");

  for (const file of manifest.manifest.files) {
    if (facts.fileSha256[file.key] !== file.sha256) {
      return fail("files_hash", `file changed after the manifest: ${file.key}`);
    }
  }
  pass("files_hash");

  for (const object of [manifestObject, ...manifest.manifest.files.map((f) => objects.get(f.key)!)]) {
    if (object.lastModifiedMs > facts.deadlineMs) {
      return fail(
        "on_time",
        `late upload: ${object.key} stored ${new Date(object.lastModifiedMs).toISOString()}`,
      );
    }
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
