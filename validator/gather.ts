/**
 * Collects one miner's upload for an epoch through the API's presigned URLs: every page of the listing of
 * `data/hotkey={miner}/epoch={id}/` (one freshly signed URL per page), the manifest, and the data files the
 * manifest names, streamed to the validator's work folder with their SHA-256 computed on the way. Oversized
 * objects (by their listed size) are never downloaded. Failures are recorded, never thrown, so one bad
 * miner cannot stop the judging of the others.
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ApiClient } from "../shared/api_client.ts";
import { type ListedObject, parseListPage } from "../shared/s3_list_xml.ts";
import { minerManifestKey, parseObjectKey } from "../shared/s3_keys.ts";

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
  files: DownloadedFile[];
  problems: string[];
}

/** What gathering needs. */
export interface GatherDeps {
  api: Pick<ApiClient, "minerList" | "fileUrls">;
  fetch: typeof fetch;
  workDir: string;
  maxFileBytes: number;
  /** Largest manifest accepted (a manifest is small; a huge one is an attack). */
  maxManifestBytes?: number;
}

const MAX_KEYS_PER_CALL = 500;
const MAX_OBJECTS = 20_000;
const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Lists every object of the miner's epoch folder. */
export async function listMinerEpoch(
  deps: GatherDeps,
  hotkey: string,
  epochId: string,
): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await deps.api.minerList(hotkey, { epochId, continuationToken: token });
    const response = await deps.fetch(page.list_url);
    const parsed = parseListPage(await response.text());
    objects.push(...parsed.objects);
    token = parsed.isTruncated && parsed.nextContinuationToken ? parsed.nextContinuationToken : undefined;
    if (objects.length > MAX_OBJECTS) {
      throw new RangeError(`Miner ${hotkey} stored over ${MAX_OBJECTS} objects`);
    }
  } while (token);
  return objects;
}

/** Downloads `url` to `path` (or into memory when `path` is null), refusing more than `limit` bytes. */
async function download(
  fetcher: typeof fetch,
  url: string,
  path: string | null,
  limit: number,
): Promise<{ sha256: string; bytes: number; text: string | null }> {
  const response = await fetcher(url);
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`download answered ${response.status}`);
  }
  const hash = createHash("sha256");
  const file = path ? await Deno.open(path, { write: true, create: true, truncate: true }) : null;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      bytes += chunk.length;
      if (bytes > limit) throw new RangeError(`object exceeds ${limit} bytes`);
      hash.update(chunk);
      if (file) await file.write(chunk);
      else chunks.push(chunk);
    }
  } finally {
    file?.close();
  }
  const text = file
    ? null
    : new TextDecoder().decode(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).bytes());
  return { sha256: hash.digest("hex"), bytes, text };
}

/** Gathers one miner's upload. */
export async function gatherMinerUpload(
  deps: GatherDeps,
  hotkey: string,
  epochId: string,
): Promise<MinerUpload> {
  const upload: MinerUpload = { hotkey, objects: [], manifestText: null, files: [], problems: [] };
  try {
    upload.objects = await listMinerEpoch(deps, hotkey, epochId);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    upload.problems.push(`listing failed: ${error.message}`);
    return upload;
  }
  const byKey = new Map(upload.objects.map((o) => [o.key, o]));
  const manifestKey = minerManifestKey(hotkey, epochId);
  const manifestObject = byKey.get(manifestKey);
  if (!manifestObject) return upload;
  const maxManifest = deps.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  if (manifestObject.size > maxManifest) {
    upload.problems.push(`manifest larger than ${maxManifest} bytes`);
    return upload;
  }
  try {
    const urls = (await deps.api.fileUrls(hotkey, [manifestKey])).file_urls;
    upload.manifestText =
      (await download(deps.fetch, urls[manifestKey].presigned_url, null, maxManifest)).text;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    upload.problems.push(`manifest download failed: ${error.message}`);
    return upload;
  }

  // Only the data files the manifest names are fetched; anything else in the folder is ignored.
  let named: string[] = [];
  try {
    named = (JSON.parse(upload.manifestText!).manifest?.files ?? []).map((f: { key: unknown }) =>
      String(f.key)
    );
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return upload; // integrity reports the malformed manifest
  }
  const wanted = named.filter((key) => {
    const object = byKey.get(key);
    if (!object || object.size > deps.maxFileBytes) return false;
    try {
      const parsed = parseObjectKey(key, { hotkey });
      return parsed.kind === "minerData" && parsed.epochId === epochId;
    } catch (error) {
      if (error instanceof SyntaxError) return false;
      throw error;
    }
  });
  const dir = join(deps.workDir, epochId, hotkey);
  await Deno.mkdir(dir, { recursive: true });
  for (let i = 0; i < wanted.length; i += MAX_KEYS_PER_CALL) {
    const batch = wanted.slice(i, i + MAX_KEYS_PER_CALL);
    let urls: Record<string, { presigned_url: string }>;
    try {
      urls = (await deps.api.fileUrls(hotkey, batch)).file_urls;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      upload.problems.push(`presign failed: ${error.message}`);
      continue;
    }
    for (const key of batch) {
      const zipcode = (parseObjectKey(key) as { zipcode: string }).zipcode;
      const path = join(dir, `${zipcode}-${upload.files.length}.parquet`);
      try {
        const got = await download(deps.fetch, urls[key].presigned_url, path, deps.maxFileBytes);
        upload.files.push({ key, zipcode, path, sha256: got.sha256, bytes: got.bytes });
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        upload.problems.push(`download of ${key} failed: ${error.message}`);
      }
    }
  }
  return upload;
}
