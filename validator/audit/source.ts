/**
 * Where `deno task verify` reads the public record: a local folder in the buckets' layout (`--dir`: what
 * localnet leaves, an `aws s3 sync` of both buckets), or the API's public record routes
 * (`api/routes/public_record.ts`: presigned GETs for an epoch whose validation window has closed). Both
 * hand the miners' files to the validator's own `gatherMinerUpload` through the same `minerList` /
 * `fileUrls` shapes the validator uses, so integrity and data checks are recomputed by the same code.
 * @module
 */
import { join } from "node:path";
import type { ApiClient } from "../../shared/api_client.ts";
import { minerEpochPrefix, VALIDATOR_ROOT, validatorKey } from "../../shared/s3_keys.ts";

/** The public record of the subnet. */
export interface RecordSource {
  /** Where it is, for messages. */
  describe: string;
  /** The judged epochs the record holds, oldest first (a remote record cannot list them: empty). */
  epochs(): Promise<string[]>;
  /** The validators that published anything for `epochId`. */
  validators(epochId: string): Promise<string[]>;
  /** A validator output parsed as JSON; undefined when it is not published (or not JSON). */
  output(validator: string, epochId: string, name: string): Promise<unknown>;
  /** What `gatherMinerUpload` reads miners' files through. */
  miners: { api: Pick<ApiClient, "minerList" | "fileUrls">; fetch: typeof fetch };
}

const escapeXml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

async function readdirOrEmpty(path: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Every file below `prefix` (a folder key ending in "/") with its size and modification time. */
async function listFiles(root: string, prefix: string) {
  const out: { key: string; size: number; mtime: Date }[] = [];
  async function walk(folder: string): Promise<void> {
    for (const entry of await readdirOrEmpty(join(root, ...folder.split("/")))) {
      const key = `${folder}${entry.name}`;
      if (entry.isDirectory) await walk(`${key}/`);
      else if (entry.isFile) {
        const info = await Deno.stat(join(root, ...key.split("/")));
        out.push({ key, size: info.size, mtime: info.mtime ?? new Date(0) });
      }
    }
  }
  await walk(prefix);
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * A local folder in the buckets' layout (`data/...` and `validators/...`). A file's modification time
 * stands for S3's LastModified (localnet's mirror sets it), which integrity's deadline check reads.
 */
export function localRecord(root: string): RecordSource {
  const pathOf = (key: string) => join(root, ...key.split("/"));
  const localFetch = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const key = url.searchParams.get("key") ?? url.searchParams.get("prefix") ?? "";
    if (url.pathname === "list") {
      const contents = (await listFiles(root, key)).map((f) =>
        `<Contents><Key>${
          escapeXml(f.key)
        }</Key><LastModified>${f.mtime.toISOString()}</LastModified><Size>${f.size}</Size></Contents>`
      );
      return new Response(
        `<ListBucketResult>${contents.join("")}<IsTruncated>false</IsTruncated></ListBucketResult>`,
      );
    }
    try {
      return new Response(await Deno.readFile(pathOf(key)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return new Response("NoSuchKey", { status: 404 });
      throw error;
    }
  };
  const record = (kind: string, param: string, value: string) =>
    `record:${kind}?${new URLSearchParams({ [param]: value })}`;
  return {
    describe: root,
    async epochs() {
      const ids = new Set<string>();
      for (const entry of await readdirOrEmpty(pathOf(VALIDATOR_ROOT))) {
        for (const e of await readdirOrEmpty(join(pathOf(VALIDATOR_ROOT), entry.name))) {
          if (e.name.startsWith("epoch=")) ids.add(e.name.slice("epoch=".length));
        }
      }
      return [...ids].sort();
    },
    async validators(epochId) {
      const out: string[] = [];
      for (const entry of await readdirOrEmpty(pathOf(VALIDATOR_ROOT))) {
        const epochs = await readdirOrEmpty(join(pathOf(VALIDATOR_ROOT), entry.name));
        if (epochs.some((e) => e.name === `epoch=${epochId}`)) out.push(entry.name);
      }
      return out.sort();
    },
    async output(validator, epochId, name) {
      try {
        return JSON.parse(await Deno.readTextFile(pathOf(validatorKey(validator, epochId, name))));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
    miners: {
      fetch: localFetch as typeof fetch,
      api: {
        minerList: (hotkey: string, options: { epochId?: string } = {}) =>
          Promise.resolve({
            success: true as const,
            miner_hotkey: hotkey,
            prefix: minerEpochPrefix(hotkey, options.epochId ?? ""),
            list_url: record("list", "prefix", minerEpochPrefix(hotkey, options.epochId ?? "")),
            expiry_seconds: 3600,
          }),
        fileUrls: (hotkey: string, keys: string[]) =>
          Promise.resolve({
            success: true as const,
            miner_hotkey: hotkey,
            file_urls: Object.fromEntries(keys.map((k) => [k, { presigned_url: record("get", "key", k) }])),
            expiry_seconds: 3600,
          }),
      },
    },
  };
}

/** Writes one object of a bucket into a local record at its key, its mtime set to S3's LastModified. */
export async function writeRecordFile(root: string, key: string, bytes: Uint8Array, lastModified: Date) {
  const path = join(root, ...key.split("/"));
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeFile(path, bytes);
  await Deno.utime(path, lastModified, lastModified);
}
