/**
 * Opens the API's Deno KV: the managed database on Deno Deploy, otherwise KV_PATH (a file, created with
 * its folder, or a KV connect URL for administering a deployed API from a workstation).
 * @module
 */
import { dirname } from "node:path";

/** True when running on Deno Deploy. */
export function onDenoDeploy(): boolean {
  return Deno.env.get("DENO_DEPLOYMENT_ID") !== undefined;
}

/** Opens the KV the API uses. */
export async function openApiKv(kvPath: string): Promise<Deno.Kv> {
  if (onDenoDeploy()) return await Deno.openKv();
  if (!/^https?:\/\//.test(kvPath) && kvPath !== ":memory:") {
    await Deno.mkdir(dirname(kvPath), { recursive: true });
  }
  return await Deno.openKv(kvPath);
}
