/**
 * Publishes a judged epoch to the validator's own folder, `validators/{hotkey}/epoch={id}/`, with the
 * API's presigned POST: the winners' rows as one Parquet file (tagged with rank, validator and time),
 * `validation_report.json`, `epoch_metadata.json`, `audit/facts.json` (what anyone needs to re-derive the
 * report) and the spot-check evidence. Every file is built
 * deterministically from the stored report, so publishing again after a crash writes the same bytes.
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { canonicalJson } from "../shared/canonical_json.ts";
import { OUTPUT_FILES, validatorKey } from "../shared/s3_keys.ts";
import { loadSql } from "../shared/adapters/duckdb/sql_file.ts";

// The names live with the key layout, so the API reads the outputs without importing DuckDB.
export { OUTPUT_FILES };

/** Writes the winners' Parquet from their local files; returns its bytes (empty table when no winner). */
export async function buildWinnersParquet(input: {
  files: readonly string[];
  ranks: readonly { hotkey: string; rank: number }[];
  validatorHotkey: string;
  validatedAt: string;
  output: string;
}): Promise<Uint8Array> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    if (input.files.length === 0 || input.ranks.length === 0) {
      await connection.run(
        `COPY (SELECT NULL::VARCHAR AS miner_hotkey, NULL::INTEGER AS rank LIMIT 0) TO '${
          input.output.replaceAll("'", "''")
        }' (FORMAT parquet)`,
      );
    } else {
      await connection.run(
        await loadSql("winners", {
          files: { list: [...input.files] },
          ranks: { list: input.ranks.map((r) => ({ struct: { hotkey: r.hotkey, rank: r.rank } })) },
          validator: input.validatorHotkey,
          validated_at: input.validatedAt,
          output: input.output,
        }),
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return await Deno.readFile(input.output);
}

/** Uploads one output with the validator's presigned POST. */
export type Upload = (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;

/** Uploads the JSON outputs (canonical JSON, so re-publishing is byte-identical) and the winners file. */
export async function publishOutputs(input: {
  upload: Upload;
  validatorHotkey: string;
  epochId: string;
  deadlineMs: number;
  report: unknown;
  metadata: unknown;
  winners: Uint8Array;
  /** `audit/facts.json` (`validator/audit_facts.ts`); null for an epoch finalised by an older version. */
  audit?: unknown;
}): Promise<string[]> {
  const key = (name: string) => validatorKey(input.validatorHotkey, input.epochId, name);
  const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));
  const files: [string, Uint8Array][] = [
    [key(OUTPUT_FILES.winners), input.winners],
    [key(OUTPUT_FILES.report), encode(input.report)],
    [key(OUTPUT_FILES.metadata), encode(input.metadata)],
    ...(input.audit ? [[key(OUTPUT_FILES.audit), encode(input.audit)] as [string, Uint8Array]] : []),
  ];
  for (const [k, bytes] of files) await input.upload(k, bytes, input.deadlineMs);
  return files.map(([k]) => k);
}
