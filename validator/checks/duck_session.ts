/**
 * One DuckDB connection for one miner's checks, with a deadline: when it passes, the running query is
 * interrupted and every later query fails with `CheckDeadlineError`, so a file that stalls the reader
 * costs its miner the epoch and never the validator its schedule. Queries come from `sql/*.sql`.
 * @module
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { loadSql, type SqlValue } from "../../shared/adapters/duckdb/sql_file.ts";

/** The checks ran out of time; whatever was found so far stands. */
export class CheckDeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`Checks did not finish within ${timeoutMs} ms`);
    this.name = "CheckDeadlineError";
  }
}

/** A row as JavaScript values (BIGINT as bigint, lists as arrays). */
export type Row = Record<string, unknown>;

/** A connection whose queries share one deadline. */
export interface DuckSession {
  /** Runs `sql/<name>.sql` with `params` and returns every row. */
  query(name: string, params: Record<string, SqlValue>): Promise<Row[]>;
  /** True once the deadline has passed. */
  readonly expired: boolean;
  readonly timeoutMs: number;
  /** Stops the deadline timer and closes the connection. */
  close(): void;
}

/** Opens a connection on `instance` whose queries must all finish within `timeoutMs`. */
export async function openSession(instance: DuckDBInstance, timeoutMs: number): Promise<DuckSession> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`Invalid timeout "${timeoutMs}": expected a positive number of ms`);
  }
  const connection: DuckDBConnection = await instance.connect();
  try {
    // Scrape times are compared as instants, but the session zone must not depend on the host's.
    await connection.run("SET TimeZone = 'UTC'");
  } catch (error) {
    connection.closeSync();
    throw error;
  }
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    connection.interrupt();
  }, timeoutMs);
  return {
    async query(name, params) {
      if (expired) throw new CheckDeadlineError(timeoutMs);
      const sql = await loadSql(name, params);
      try {
        return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Row[];
      } catch (error) {
        if (expired) throw new CheckDeadlineError(timeoutMs);
        throw error;
      }
    },
    get expired() {
      return expired;
    },
    timeoutMs,
    close() {
      clearTimeout(timer);
      connection.closeSync();
    },
  };
}
