/**
 * The public record through the API's public routes (`api/routes/public_record.ts`): no key, no
 * signature; the API answers only for epochs whose validation window has closed.
 * @module
 */
import { routePath, ROUTES } from "../../shared/contract.ts";
import { parseObjectKey } from "../../shared/s3_keys.ts";
import { FileUrlsResponseSchema, MinerListResponseSchema } from "../../shared/schemas/s3_access.ts";
import { PublicRecordResponseSchema } from "../../shared/schemas/public_record.ts";
import type { z } from "zod";
import type { RecordSource } from "./source.ts";

/** The record behind the API at `baseUrl`. */
export function publicApiRecord(baseUrl: string, fetcher: typeof fetch = fetch): RecordSource {
  const base = baseUrl.replace(/\/+$/, "");
  const indexes = new Map<string, Promise<z.infer<typeof PublicRecordResponseSchema>>>();
  async function call<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
    const response = await fetcher(`${base}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return schema.parse(JSON.parse(text));
  }
  const index = (epochId: string) => {
    if (!indexes.has(epochId)) {
      indexes.set(
        epochId,
        call(PublicRecordResponseSchema, routePath(ROUTES.publicRecord.path, { epochId })),
      );
    }
    return indexes.get(epochId)!;
  };
  return {
    describe: `${base} (public record)`,
    epochs: () => Promise.resolve([]),
    validators: async (epochId) => Object.keys((await index(epochId)).validators).sort(),
    async output(validator, epochId, name) {
      const url = (await index(epochId)).validators[validator]?.[name];
      if (!url) return undefined;
      const response = await fetcher(url);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw new Error(`${name} of ${validator} answered ${response.status}`);
      try {
        return JSON.parse(await response.text());
      } catch (error) {
        if (error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
    miners: {
      fetch: fetcher,
      api: {
        minerList: (hotkey, options = {}) => {
          const path = routePath(ROUTES.publicRecordMinerList.path, {
            epochId: options.epochId ?? "",
            hotkey,
          });
          const query = options.continuationToken
            ? `?${new URLSearchParams({ continuation_token: options.continuationToken })}`
            : "";
          return call(MinerListResponseSchema, `${path}${query}`);
        },
        fileUrls: (hotkey, keys) => {
          const epochId = parseObjectKey(keys[0]).epochId;
          return call(FileUrlsResponseSchema, routePath(ROUTES.publicRecordFiles.path, { epochId }), {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ miner_hotkey: hotkey, file_keys: keys }),
          });
        },
      },
    },
  };
}
