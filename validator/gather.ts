/**
 * Collects one miner's upload for an epoch through the API's presigned URLs: every page of the listing of
 * `data/hotkey={miner}/epoch={id}/` (one freshly signed URL per page), the manifest (parsed with its zod
 * schema), the receipted part manifests (`shared/parts.ts` judges them), and the data files it names, streamed to the validator's work folder with their SHA-256
 * computed on the way.
 *
 * Two kinds of failure are kept apart, because they lead to different verdicts:
 * - the miner's upload is bad (too many objects, a huge or malformed manifest, over its budget, a file that
 *   grows between list and GET or is gone (404)): recorded in the result, never thrown; integrity turns it into the
 *   same zero reason on every validator;
 * - the validator could not judge (the API or S3 answering 5xx or another 4xx, a network error, its own disk, the gather
 *   deadline): thrown as `JudgeFault`, so the caller retries and at worst reports the miner "not judged".
 * Nothing over the deterministic budget (`shared/upload_budget.ts`) is ever downloaded.
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ApiClient } from "../shared/api_client.ts";
import { type ListedObject, parseListPage } from "../shared/s3_list_xml.ts";
import { minerManifestKey, parseObjectKey } from "../shared/s3_keys.ts";
import { type SignedManifest, SignedManifestSchema } from "../shared/schemas/manifest.ts";
import { budgetProblem, type UploadLimits } from "../shared/upload_budget.ts";

/** A downloaded data file. */
export interface DownloadedFile {
  key: string;
  zipcode: string;
  path: string;
  sha256: string;
  bytes: number;
}

/** What was found for one miner. */
export interface MinerUpload {
  hotkey: string;
  objects: ListedObject[];
  manifestText: string | null;
  /** The receipted part manifests asked for, by key: their text, or null when missing or unreadable. */
  parts: { key: string; text: string | null }[];
  files: DownloadedFile[];
  /** Why the upload was refused before its data files were downloaded (the miner's fault), or null. */
  refused: string | null;
  problems: string[];
}

/** The validator could not judge the miner (its side failed); retry, never zero the miner for it. */
export class JudgeFault extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JudgeFault";
  }
}

/** What gathering needs. */
export interface GatherDeps {
  api: Pick<ApiClient, "minerList" | "fileUrls">;
  fetch: typeof fetch;
  workDir: string;
  limits: UploadLimits;
  /** Time limit of the whole gather; over it, a `JudgeFault`. @default {600000} */
  timeoutMs?: number;
  /** Largest manifest accepted (a manifest is small; a huge one is an attack). */
  maxManifestBytes?: number;
}

const MAX_KEYS_PER_CALL = 500;
/** Objects in one miner's epoch folder above this refuse the upload (listing them is the cost). */
export const MAX_OBJECTS = 20_000;
const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 600_000;
/** Part manifests read per miner at most (the API's MAX_MANIFEST_PARTS is at most 64). */
export const MAX_PARTS = 64;

/** A response the miner's upload caused (the object is missing or refused), as opposed to S3 failing. */
class MinerSideError extends Error {}

/** Lists every object of the miner's epoch folder; null when it holds more than `MAX_OBJECTS`. */
export async function listMinerEpoch(
  deps: Pick<GatherDeps, "api" | "fetch">,
  hotkey: string,
  epochId: string,
  signal?: AbortSignal,
): Promise<ListedObject[] | null> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await deps.api.minerList(hotkey, { epochId, continuationToken: token });
    const response = await deps.fetch(page.list_url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new JudgeFault(`listing answered ${response.status}`);
    }
    const parsed = parseListPage(await response.text());
    objects.push(...parsed.objects);
    token = parsed.isTruncated && parsed.nextContinuationToken ? parsed.nextContinuationToken : undefined;
    if (objects.length > MAX_OBJECTS) return null;
  } while (token);
  return objects;
}

/**
 * Downloads `url` to `path` (or into memory when `path` is null), refusing more than `limit` bytes. A 5xx
 * or a network error is a `JudgeFault`; a 404 or an object over `limit` is a `MinerSideError`.
 */
export async function downloadBounded(
  fetcher: typeof fetch,
  url: string,
  path: string | null,
  limit: number,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number; data: Uint8Array | null }> {
  const response = await fetcher(url, { signal });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    // Gone between the listing and the GET: the miner deleted it. Any other answer is S3's or ours.
    if (response.status === 404) {
      throw new MinerSideError(`download answered ${response.status}`);
    }
    throw new JudgeFault(`download answered ${response.status}`);
  }
  const hash = createHash("sha256");
  const file = path ? await Deno.open(path, { write: true, create: true, truncate: true }) : null;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      bytes += chunk.length;
      if (bytes > limit) throw new MinerSideError(`object grew over ${limit} bytes during the download`);
      hash.update(chunk);
      if (file) await file.write(chunk);
      else chunks.push(chunk);
    }
  } finally {
    file?.close();
  }
  const data = file ? null : await new Blob(chunks as Uint8Array<ArrayBuffer>[]).bytes();
  return { sha256: hash.digest("hex"), bytes, data };
}

/** Parses the manifest text with its schema; null when it is not a manifest (integrity says why). */
function parseManifest(text: string): SignedManifest | null {
  try {
    const parsed = SignedManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * Gathers one miner's upload. Throws only `JudgeFault` (the validator's side); the miner's own faults are
 * in `refused` and `problems`.
 */
export async function gatherMinerUpload(
  deps: GatherDeps,
  hotkey: string,
  epochId: string,
  /** Keys of the miner's receipted part manifests (at most `MAX_PARTS` are read). */
  partKeys: readonly string[] = [],
): Promise<MinerUpload> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const upload = await gatherWithin(deps, hotkey, epochId, signal);
    if (upload.manifestText !== null && upload.refused === null) {
      upload.parts = await downloadParts(deps, upload, partKeys.slice(0, MAX_PARTS), signal);
    }
    return upload;
  } catch (error) {
    if (error instanceof JudgeFault) throw error;
    if (signal.aborted) throw new JudgeFault(`gathering did not finish within ${timeoutMs} ms`);
    // The API, S3 or the disk failed (ApiClientError, TypeError from fetch, Deno.errors...).
    throw new JudgeFault(`gathering failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

async function gatherWithin(
  deps: GatherDeps,
  hotkey: string,
  epochId: string,
  signal: AbortSignal,
): Promise<MinerUpload> {
  const upload: MinerUpload = {
    hotkey,
    objects: [],
    manifestText: null,
    parts: [],
    files: [],
    refused: null,
    problems: [],
  };
  const objects = await listMinerEpoch(deps, hotkey, epochId, signal);
  if (objects === null) {
    upload.refused = `over ${MAX_OBJECTS} objects stored for the epoch`;
    return upload;
  }
  upload.objects = objects;
  const byKey = new Map(upload.objects.map((o) => [o.key, o]));
  const manifestKey = minerManifestKey(hotkey, epochId);
  const manifestObject = byKey.get(manifestKey);
  if (!manifestObject) return upload;
  const maxManifest = deps.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  if (manifestObject.size > maxManifest) {
    upload.refused = `manifest is ${manifestObject.size} bytes, over the limit of ${maxManifest}`;
    return upload;
  }
  try {
    const urls = (await deps.api.fileUrls(hotkey, [manifestKey])).file_urls;
    const got = await downloadBounded(deps.fetch, urls[manifestKey].presigned_url, null, maxManifest, signal);
    upload.manifestText = new TextDecoder().decode(got.data!);
  } catch (error) {
    if (!(error instanceof MinerSideError)) throw error;
    upload.problems.push(`manifest download failed: ${error.message}`);
    return upload;
  }
  const manifest = parseManifest(upload.manifestText);
  if (!manifest) return upload; // integrity reports the malformed manifest
  upload.refused = budgetProblem(manifest.manifest.files, byKey, deps.limits);
  if (upload.refused) return upload;
  await downloadNamed(deps, upload, manifest, byKey, epochId, signal);
  return upload;
}

/** Downloads the listed, receipted part manifests (each at most the manifest limit); a missing one is null. */
async function downloadParts(
  deps: GatherDeps,
  upload: MinerUpload,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<MinerUpload["parts"]> {
  const maxManifest = deps.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const listed = new Map(upload.objects.map((o) => [o.key, o.size]));
  const present = keys.filter((k) => (listed.get(k) ?? Infinity) <= maxManifest);
  const urls = present.length === 0 ? {} : (await deps.api.fileUrls(upload.hotkey, present)).file_urls;
  const out: MinerUpload["parts"] = [];
  for (const key of keys) {
    if (!present.includes(key)) {
      out.push({ key, text: null });
      continue;
    }
    try {
      const got = await downloadBounded(deps.fetch, urls[key].presigned_url, null, maxManifest, signal);
      out.push({ key, text: new TextDecoder().decode(got.data!) });
    } catch (error) {
      if (!(error instanceof MinerSideError)) throw error;
      out.push({ key, text: null });
    }
  }
  return out;
}

/** Downloads the manifest's own, present, in-budget data files (anything else in the folder is ignored). */
async function downloadNamed(
  deps: GatherDeps,
  upload: MinerUpload,
  manifest: SignedManifest,
  byKey: ReadonlyMap<string, ListedObject>,
  epochId: string,
  signal: AbortSignal,
): Promise<void> {
  const wanted = manifest.manifest.files.map((f) => f.key).filter((key) => {
    const object = byKey.get(key);
    if (!object || object.size > deps.limits.maxFileBytes) return false;
    try {
      const parsed = parseObjectKey(key, { hotkey: upload.hotkey });
      return parsed.kind === "minerData" && parsed.epochId === epochId;
    } catch (error) {
      if (error instanceof SyntaxError) return false;
      throw error;
    }
  });
  const dir = join(deps.workDir, epochId, upload.hotkey);
  await Deno.mkdir(dir, { recursive: true });
  for (let i = 0; i < wanted.length; i += MAX_KEYS_PER_CALL) {
    const batch = wanted.slice(i, i + MAX_KEYS_PER_CALL);
    const urls = (await deps.api.fileUrls(upload.hotkey, batch)).file_urls;
    for (const key of batch) {
      const zipcode = (parseObjectKey(key) as { zipcode: string }).zipcode;
      const path = join(dir, `${zipcode}-${upload.files.length}.parquet`);
      try {
        // At most the listed size: a file that grows after the listing is the miner's and is cut off.
        const got = await downloadBounded(
          deps.fetch,
          urls[key].presigned_url,
          path,
          byKey.get(key)!.size,
          signal,
        );
        upload.files.push({ key, zipcode, path, sha256: got.sha256, bytes: got.bytes });
      } catch (error) {
        if (!(error instanceof MinerSideError)) throw error;
        upload.problems.push(`download of ${key} failed: ${error.message}`);
      }
    }
  }
}
