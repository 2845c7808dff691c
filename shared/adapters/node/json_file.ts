/**
 * Small durable JSON files: written to a temporary name and renamed, so a crash leaves either the old or
 * the new file, never a torn one.
 * @module
 */
import { dirname } from "node:path";

/** Writes `value` as JSON to `path` atomically, creating the folder. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(value, null, 1));
  await Deno.rename(tmp, path);
}

/** Reads a JSON file, or null when it does not exist. */
export async function readJsonOrNull<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
