/**
 * The ZIP universe in KV. An operator's imported table (`deno task zipcodes:import`) is stored in chunks
 * (a KV value holds at most 64 KiB) and replaces the built-in default table; recalibrated expected counts
 * (from validators' reports) are stored per ZIP and override either table's estimate.
 * @module
 */
import { type ZipRecord, ZipRecordSchema } from "../../shared/schemas/zip_universe.ts";
import { marketTierFor } from "../zip_universe/zip_table.ts";
import { kvKeys } from "./kv_keys.ts";

const RECORDS_PER_CHUNK = 250;

interface UniverseMeta {
  chunks: number;
  records: number;
  importedAtMs: number;
  source: string;
}

/** Replaces the imported table with `records` (the meta entry is written last, so readers never see a mix). */
export async function saveUniverse(
  kv: Deno.Kv,
  records: readonly ZipRecord[],
  info: { nowMs: number; source: string },
): Promise<UniverseMeta> {
  const sorted = [...records].sort((a, b) => a.zipcode.localeCompare(b.zipcode));
  const previous = (await kv.get<UniverseMeta>(kvKeys.universeMeta())).value;
  const chunks = Math.ceil(sorted.length / RECORDS_PER_CHUNK);
  await kv.delete(kvKeys.universeMeta());
  for (let i = 0; i < chunks; i++) {
    await kv.set(kvKeys.universeChunk(i), sorted.slice(i * RECORDS_PER_CHUNK, (i + 1) * RECORDS_PER_CHUNK));
  }
  for (let i = chunks; i < (previous?.chunks ?? 0); i++) await kv.delete(kvKeys.universeChunk(i));
  const meta = { chunks, records: sorted.length, importedAtMs: info.nowMs, source: info.source };
  await kv.set(kvKeys.universeMeta(), meta);
  return meta;
}

/** The imported table, or null when none was imported. */
export async function loadImportedUniverse(kv: Deno.Kv): Promise<ZipRecord[] | null> {
  const meta = (await kv.get<UniverseMeta>(kvKeys.universeMeta())).value;
  if (!meta) return null;
  const keys = Array.from({ length: meta.chunks }, (_, i) => kvKeys.universeChunk(i));
  const out: ZipRecord[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    for (const entry of await kv.getMany<ZipRecord[][]>(keys.slice(i, i + 10))) {
      if (!entry.value) {
        throw new Error(`Imported ZIP table is incomplete: ${JSON.stringify(entry.key)} is missing`);
      }
      out.push(...entry.value.map((r) => ZipRecordSchema.parse(r)));
    }
  }
  return out;
}

/** Recalibrated expected counts, by ZIP. */
export async function loadExpectedOverrides(kv: Deno.Kv): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const e of kv.list<number>({ prefix: kvKeys.expectedAll() })) {
    out.set(e.key[1] as string, e.value);
  }
  return out;
}

/** The universe the API plans with: the imported (or default) table with recalibrated counts applied. */
export async function loadUniverse(
  kv: Deno.Kv,
  defaultTable: () => Promise<readonly ZipRecord[]>,
): Promise<ZipRecord[]> {
  const base = (await loadImportedUniverse(kv)) ?? await defaultTable();
  const overrides = await loadExpectedOverrides(kv);
  return base.map((z) => {
    const expected = overrides.get(z.zipcode);
    return expected === undefined
      ? z
      : { ...z, expectedListings: expected, marketTier: marketTierFor(expected) };
  });
}
