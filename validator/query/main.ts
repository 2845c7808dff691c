/**
 * `deno task query`: DuckDB SQL over the validators' published outputs. Syncs the validator bucket into a
 * local cache (or takes a local folder with the same layout), defines the views of `sql/query_views.sql`,
 * runs the analyst's SQL and prints the last statement's rows as a table, CSV or JSON. A failing query
 * prints DuckDB's message alone on stderr and exits 1.
 * @module
 */
import { join, resolve } from "node:path";
import { ConfigError } from "../../shared/config.ts";
import { parseQueryConfig } from "../config.ts";
import { VALIDATOR_ROOT } from "../../shared/s3_keys.ts";
import { parseQueryArgs, usage, UsageError } from "./args.ts";
import { ArchiveError, archivePrefix, isEmptyArchive, scanArchive } from "./archive.ts";
import { formatResult } from "./format.ts";
import { createS3Reader, syncArchive, SyncError } from "./s3_sync.ts";
import { openQuerySession, VIEW_NAMES } from "./session.ts";

async function main(argv: string[]): Promise<number> {
  const command = parseQueryArgs(argv);
  if (command.kind === "help") {
    console.log(usage());
    return 0;
  }
  const env = { ...Deno.env.toObject(), ...command.env };
  // `deno task` runs in the project folder; paths on the command line mean the caller's folder.
  const local = (path: string) => resolve(env.INIT_CWD ?? Deno.cwd(), path);
  const sql = "text" in command.sql ? command.sql.text : await readSqlFile(local(command.sql.file));
  const root = command.source.kind === "dir" ? local(command.source.dir) : await sync(env, command.validator);
  const archive = await scanArchive(root, command.validator);
  if (command.source.kind === "dir") await requireLayout(root);
  if (isEmptyArchive(archive)) {
    console.error(
      `No validator outputs under ${join(root, archivePrefix(command.validator))}: ${
        VIEW_NAMES.join(", ")
      } are empty`,
    );
  }
  const session = await openQuerySession(archive, (message) => console.error(message));
  try {
    let result;
    try {
      result = await session.run(sql);
    } catch (error) {
      // The analyst's own mistake: DuckDB's message says it all, a stack trace would only distract.
      if (!(error instanceof Error)) throw error;
      console.error(error.message);
      return 1;
    }
    await writeStdout(formatResult(result, command.format));
  } finally {
    await session.close();
  }
  return 0;
}

/** Syncs the validator bucket into the cache and returns the cache folder. */
async function sync(env: Record<string, string>, validator?: string): Promise<string> {
  const config = parseQueryConfig(env);
  const key = config.S3_ACCESS_KEY_ID;
  const secret = config.S3_SECRET_ACCESS_KEY;
  if ((key === undefined) !== (secret === undefined)) {
    throw new ConfigError(["S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both unset)"]);
  }
  // One cache folder per bucket.
  const root = join(
    config.QUERY_CACHE_DIR || join(env.HOME ?? ".", ".zipmine", "query"),
    config.S3_VALIDATOR_BUCKET,
  );
  const client = createS3Reader({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: key && secret ? { accessKeyId: key, secretAccessKey: secret } : undefined,
  });
  try {
    const prefix = archivePrefix(validator);
    const result = await syncArchive({ client, bucket: config.S3_VALIDATOR_BUCKET, prefix, root });
    if (result.downloaded > 0) {
      console.error(
        `Synced ${result.downloaded} new or changed objects (${result.bytes} bytes) of s3://${config.S3_VALIDATOR_BUCKET}/${prefix} into ${root}`,
      );
    }
  } finally {
    client.destroy();
  }
  return root;
}

/** Throws `ArchiveError` unless `dir` has the bucket's layout: a folder pointed one level off is a typo. */
async function requireLayout(dir: string): Promise<void> {
  try {
    await Deno.stat(join(dir, VALIDATOR_ROOT));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ArchiveError(
      `Cannot read archive "${dir}": no ${VALIDATOR_ROOT} folder in it (expected the validator bucket's layout)`,
    );
  }
}

async function readSqlFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot read SQL file "${path}": not found`);
    }
    throw error;
  }
}

async function writeStdout(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  try {
    for (let offset = 0; offset < bytes.length;) offset += await Deno.stdout.write(bytes.subarray(offset));
  } catch (error) {
    // A reader that stopped early (`| head`) is not a failure of the query.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage()}`);
      Deno.exit(2);
    }
    if (error instanceof ConfigError || error instanceof ArchiveError || error instanceof SyncError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}
