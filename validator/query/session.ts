/**
 * An in-memory DuckDB session over an archive of validator outputs, with the views of
 * `sql/query_views.sql` defined before the analyst's SQL runs. Files the views could not read are left out
 * with a warning rather than failing every query: a winners file that is not Parquet or whose columns do
 * not have the published types, and a report or metadata file that does not parse against its schema or
 * names another epoch or validator than its key.
 * @module
 */
import { DuckDBInstance, type DuckDBResultReader } from "@duckdb/node-api";
import { join } from "node:path";
import type { z } from "zod";
import { parseEpochId } from "../../shared/epoch.ts";
import { LISTING_SQL_TYPES } from "../../shared/schemas/listing.ts";
import { EpochMetadataSchema, ValidationReportSchema } from "../../shared/schemas/report.ts";
import { loadSql } from "../../shared/adapters/duckdb/sql_file.ts";
import type { Archive, ArchiveFile } from "./archive.ts";

/** The columns of a published winners file (`sql/winners.sql`): the listing record's, then three tags. */
export const WINNERS_SQL_TYPES: Readonly<Record<string, string>> = {
  ...LISTING_SQL_TYPES,
  rank: "INTEGER",
  validator_hotkey: "VARCHAR",
  validated_at: "TIMESTAMPTZ",
};

/** The views a session defines, for messages and docs. */
export const VIEW_NAMES = ["listings", "winners", "epochs", "miner_scores"] as const;

/** A session; close it to free DuckDB and the temporary inputs. */
export interface QuerySession {
  /** Runs `sql` (one or more statements) and returns the last statement's rows; DuckDB's errors propagate. */
  run(sql: string): Promise<DuckDBResultReader>;
  close(): Promise<void>;
}

/** Opens a session over `archive`; `warn` hears about each file left out. */
export async function openQuerySession(
  archive: Archive,
  warn: (message: string) => void,
): Promise<QuerySession> {
  const dir = await Deno.makeTempDir({ prefix: "zipmine-query-" });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const close = async () => {
    connection.closeSync();
    instance.closeSync();
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const schemaFile = join(dir, "winners_schema.parquet");
    await connection.run(
      await loadSql("winners_schema_file", { types: JSON.stringify(WINNERS_SQL_TYPES), output: schemaFile }),
    );
    const describe = async (paths: string[]) =>
      (await connection.runAndReadAll(await loadSql("describe_winners_file", { paths: { list: paths } })))
        .getRowObjectsJson().map((row) => [String(row.column_name), String(row.column_type)] as const);
    const expected = new Map(await describe([schemaFile]));
    const columnsProblem = (paths: string[]) =>
      describe(paths).then((columns) => schemaProblem(columns, expected), (error) => {
        if (!(error instanceof Error)) throw error;
        return `unreadable (${error.message.split("\n")[0]})`;
      });
    // One look at all files together settles the usual case; only a problem there costs a look at each.
    let winners = archive.winners;
    if (await columnsProblem([schemaFile, ...winners.map((f) => f.path)]) !== null) {
      winners = [];
      for (const file of archive.winners) {
        const problem = await columnsProblem([file.path]);
        if (problem === null) winners.push(file);
        else warn(`Skipping ${file.key}: ${problem}`);
      }
    }
    const inputs = {
      winner_files: join(dir, "winner_files.ndjson"),
      reports: join(dir, "reports.ndjson"),
      metadata: join(dir, "metadata.ndjson"),
    };
    await writeNdjson(inputs.winner_files, winners.map((f) => ({ file: f.path, ...identity(f) })));
    await writeNdjson(
      inputs.reports,
      (await readOutputs(archive.reports, ValidationReportSchema, "a validation report", warn))
        .map(([f, report]) => ({ ...identity(f), report })),
    );
    await writeNdjson(
      inputs.metadata,
      (await readOutputs(archive.metadata, EpochMetadataSchema, "epoch metadata", warn))
        .map(([f, metadata]) => ({ ...identity(f), metadata })),
    );
    await connection.run(
      await loadSql("query_views", {
        winners: { list: [schemaFile, ...winners.map((f) => f.path)] },
        ...inputs,
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { run: (sql) => connection.runAndReadAll(sql), close };
}

function schemaProblem(columns: readonly (readonly [string, string])[], expected: Map<string, string>) {
  for (const [name, type] of columns) {
    if (!expected.has(name)) return `unexpected column "${name}"`;
    if (expected.get(name) !== type) return `column "${name}" is ${type}, expected ${expected.get(name)}`;
  }
  return null;
}

function identity(file: ArchiveFile) {
  return {
    epoch_id: file.epochId,
    epoch_start: new Date(parseEpochId(file.epochId)).toISOString(),
    validator_hotkey: file.validatorHotkey,
  };
}

/** The files that parse against `schema` and name the epoch and validator of their key, with their values. */
async function readOutputs<T extends { epochId: string; validatorHotkey: string }>(
  files: readonly ArchiveFile[],
  schema: z.ZodType<T>,
  what: string,
  warn: (message: string) => void,
): Promise<[ArchiveFile, T][]> {
  const out: [ArchiveFile, T][] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await Deno.readTextFile(file.path));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      warn(`Skipping ${file.key}: not JSON (${error.message})`);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      warn(`Skipping ${file.key}: not ${what} (${issue.path.join(".") || "(root)"}: ${issue.message})`);
    } else if (parsed.data.epochId !== file.epochId || parsed.data.validatorHotkey !== file.validatorHotkey) {
      warn(`Skipping ${file.key}: it names epoch ${parsed.data.epochId} of ${parsed.data.validatorHotkey}`);
    } else out.push([file, parsed.data]);
  }
  return out;
}

async function writeNdjson(path: string, rows: readonly unknown[]): Promise<void> {
  await Deno.writeTextFile(path, rows.map((row) => JSON.stringify(row) + "\n").join(""));
}
