/**
 * The API address a state folder trusts for signed assignments and sealed plans: one pinned in config
 * (API_ASSIGNMENT_HOTKEYS), else the one learned from the API itself (trust on first use; pins win).
 * Miners and validators keep it the same way.
 * @module
 */
import { join } from "node:path";
import { readJsonOrNull, writeJsonAtomic } from "../node/json_file.ts";

/** Where the learned API address is kept. */
export function apiKeyPath(stateDir: string): string {
  return join(stateDir, "api_hotkey.json");
}

/** Remembers the API address the API itself answered with (trust on first use; config pins win). */
export async function rememberApiHotkey(stateDir: string, apiHotkey: string): Promise<void> {
  const known = await readJsonOrNull<{ apiHotkey: string }>(apiKeyPath(stateDir));
  if (known?.apiHotkey !== apiHotkey) await writeJsonAtomic(apiKeyPath(stateDir), { apiHotkey });
}

/** The API addresses to trust: the pinned ones, else the learned one; throws a TypeError when none. */
export async function trustedApiHotkeys(
  stateDir: string,
  pinned: readonly string[],
): Promise<readonly string[]> {
  if (pinned.length > 0) return pinned;
  const learned = await readJsonOrNull<{ apiHotkey: string }>(apiKeyPath(stateDir));
  if (!learned) throw new TypeError("no trusted API address yet: set API_ASSIGNMENT_HOTKEYS");
  return [learned.apiHotkey];
}
