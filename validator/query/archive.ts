/**
 * Finds the published outputs in a local archive of the validator bucket (a folder whose layout mirrors the
 * bucket's keys: the query cache, an `aws s3 sync` copy, what localnet leaves behind). Only paths that
 * `parseObjectKey` accepts as validator outputs count, so stray files and partial downloads are ignored.
 * @module
 */
import { join } from "node:path";
import { parseObjectKey, VALIDATOR_ROOT, validatorPrefix } from "../../shared/s3_keys.ts";
import { OUTPUT_FILES } from "../publish.ts";

/** One published output file. */
export interface ArchiveFile {
  /** Its object key. */
  key: string;
  /** Its local path. */
  path: string;
  validatorHotkey: string;
  epochId: string;
}

/** The outputs the views read, each list sorted by key. */
export interface Archive {
  winners: ArchiveFile[];
  reports: ArchiveFile[];
  metadata: ArchiveFile[];
}

/** Raised when the archive folder cannot be used; the message says why. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveError";
  }
}

/** The key prefix holding `validator`'s outputs, or every validator's. */
export function archivePrefix(validator?: string): string {
  return validator === undefined ? VALIDATOR_ROOT : validatorPrefix(validator);
}

/**
 * Lists the outputs under `root` (restricted to one validator's when given). Throws `ArchiveError` when
 * `root` is not a folder; a root without outputs gives an empty archive.
 */
export async function scanArchive(root: string, validator?: string): Promise<Archive> {
  const info = await Deno.stat(root).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new ArchiveError(`Cannot read archive "${root}": not found`);
    }
    throw error;
  });
  if (!info.isDirectory) throw new ArchiveError(`Cannot read archive "${root}": not a folder`);
  const archive: Archive = { winners: [], reports: [], metadata: [] };
  const lists: Record<string, ArchiveFile[]> = {
    [OUTPUT_FILES.winners]: archive.winners,
    [OUTPUT_FILES.report]: archive.reports,
    [OUTPUT_FILES.metadata]: archive.metadata,
  };
  for (const key of (await listKeys(root, archivePrefix(validator))).sort()) {
    let parsed;
    try {
      parsed = parseObjectKey(key);
    } catch (error) {
      if (error instanceof SyntaxError) continue;
      throw error;
    }
    if (parsed.kind !== "validatorFile") continue;
    lists[parsed.path]?.push({
      key,
      path: join(root, ...key.split("/")),
      validatorHotkey: parsed.hotkey,
      epochId: parsed.epochId,
    });
  }
  return archive;
}

/** True when `archive` holds no output at all. */
export function isEmptyArchive(archive: Archive): boolean {
  return archive.winners.length + archive.reports.length + archive.metadata.length === 0;
}

/** Keys of every regular file under `prefix` (a folder key ending in "/"), or none when it is missing. */
async function listKeys(root: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  async function walk(folder: string): Promise<void> {
    for await (const entry of Deno.readDir(join(root, ...folder.split("/")))) {
      if (entry.isDirectory) await walk(`${folder}${entry.name}/`);
      else if (entry.isFile) keys.push(`${folder}${entry.name}`);
    }
  }
  try {
    await walk(prefix);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return keys;
}
