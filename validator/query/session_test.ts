import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { assertEquals, assertMatch } from "../../tests/assert.ts";
import { LISTING_COLUMNS } from "../../shared/schemas/listing.ts";
import { validatorKey } from "../../shared/s3_keys.ts";
import { OUTPUT_FILES } from "../publish.ts";
import { A, B, C, EPOCHS, V1, V2, writeArchive } from "../../tests/harness/archive_fixture.ts";
import { scanArchive } from "./archive.ts";
import { openQuerySession } from "./session.ts";

async function withArchive(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "zipmine-query-test-" });
  try {
    await writeArchive(root);
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Runs `sql` over the archive at `root`; returns the rows as JSON-ish objects and the warnings. */
async function query(root: string, sql: string, validator?: string) {
  const warnings: string[] = [];
  const session = await openQuerySession(await scanArchive(root, validator), (m) => warnings.push(m));
  try {
    const reader = await session.run(sql);
    return { rows: reader.getRowObjectsJson(), columns: reader.columnNames(), warnings };
  } finally {
    await session.close();
  }
}

function localPath(root: string, validator: string, epochId: string, name: string): string {
  return join(root, ...validatorKey(validator, epochId, name).split("/"));
}

Deno.test("the views answer over a small archive with missing and empty files", async (t) => {
  await withArchive(async (root) => {
    await t.step("listings: every published winners row, tagged with its epoch and validator", async () => {
      const { rows, columns, warnings } = await query(
        root,
        `SELECT epoch_id, validator_hotkey, count(*) AS n, count(DISTINCT zpid) AS zpids FROM listings
         GROUP BY ALL ORDER BY ALL`,
      );
      assertEquals(warnings, []);
      assertEquals(columns, ["epoch_id", "validator_hotkey", "n", "zpids"]);
      assertEquals(rows, [
        { epoch_id: EPOCHS[0], validator_hotkey: V2, n: "4", zpids: "3" },
        { epoch_id: EPOCHS[0], validator_hotkey: V1, n: "4", zpids: "3" },
        { epoch_id: EPOCHS[1], validator_hotkey: V1, n: "4", zpids: "4" },
      ]);
      const all = await query(root, "SELECT * FROM listings LIMIT 0");
      assertEquals(all.columns, [
        "epoch_id",
        "epoch_start",
        "validator_hotkey",
        "rank",
        "validated_at",
        ...LISTING_COLUMNS.filter((c) => c !== "epoch_id"),
      ]);
    });

    await t.step("winners: the published winners with weight, score and their rows", async () => {
      const { rows } = await query(
        root,
        `SELECT epoch_id, validator_hotkey, rank, miner_hotkey, uid, weight, score, published_listings
         FROM winners WHERE validator_hotkey = '${V1}' ORDER BY epoch_id, rank`,
      );
      assertEquals(rows, [
        {
          epoch_id: EPOCHS[0],
          validator_hotkey: V1,
          rank: 1,
          miner_hotkey: A,
          uid: 1,
          weight: "0.600000",
          score: "0.900000",
          published_listings: "3",
        },
        {
          epoch_id: EPOCHS[0],
          validator_hotkey: V1,
          rank: 2,
          miner_hotkey: B,
          uid: 2,
          weight: "0.400000",
          score: "0.700000",
          published_listings: "1",
        },
        {
          epoch_id: EPOCHS[1],
          validator_hotkey: V1,
          rank: 1,
          miner_hotkey: B,
          uid: 2,
          weight: "0.600000",
          score: "0.800000",
          published_listings: "3",
        },
        {
          epoch_id: EPOCHS[1],
          validator_hotkey: V1,
          rank: 2,
          miner_hotkey: A,
          uid: 1,
          weight: "0.400000",
          score: "0.600000",
          published_listings: "1",
        },
      ]);
    });

    await t.step("epochs: one row per published epoch_metadata.json, with the report's counts", async () => {
      const { rows } = await query(
        root,
        `SELECT epoch_id, epoch_start, validator_hotkey, zipcodes, zipcode_count, expected_listings,
                validated_listings, winner_count, miners_judged, miners_scored, published_at
         FROM epochs ORDER BY epoch_id, validator_hotkey`,
      );
      const row = (i: number, validator: string, start: string, published: string, scored: number) => ({
        epoch_id: EPOCHS[i],
        epoch_start: start,
        validator_hotkey: validator,
        zipcodes: ["77001", "77002"],
        zipcode_count: "2",
        expected_listings: "10",
        validated_listings: i === 2 ? "0" : "3",
        winner_count: i === 2 ? "0" : "2",
        miners_judged: "3",
        miners_scored: String(scored),
        published_at: published,
      });
      assertEquals(rows, [
        row(0, V2, "2025-10-01 16:00:00+00", "2025-10-02 00:00:00+00", 2),
        row(0, V1, "2025-10-01 16:00:00+00", "2025-10-02 00:00:00+00", 2),
        row(1, V1, "2025-10-01 20:00:00+00", "2025-10-02 04:00:00+00", 3),
        row(2, V1, "2025-10-02 00:00:00+00", "2025-10-02 08:00:00+00", 0),
      ]);
    });

    await t.step("miner_scores: every verdict of every report, also without metadata", async () => {
      const { rows } = await query(
        root,
        `SELECT epoch_id, validator_hotkey, count(*) AS verdicts, sum(weight)::VARCHAR AS weight
         FROM miner_scores GROUP BY ALL ORDER BY ALL`,
      );
      assertEquals(rows.map((r) => [r.epoch_id, r.validator_hotkey, r.verdicts, r.weight]), [
        [EPOCHS[0], V2, "3", "1.000000"],
        [EPOCHS[0], V1, "3", "1.000000"],
        [EPOCHS[1], V2, "3", "1.000000"],
        [EPOCHS[1], V1, "3", "1.000000"],
        [EPOCHS[2], V1, "3", "0.000000"],
      ]);
      const c = await query(
        root,
        `SELECT uid, score, speed, rank, reason, "rows", unique_listings, duplicates,
                listings_per_zipcode::VARCHAR AS per_zip, failed_checks, spot_checks_valid, spot_checks_invalid,
                manifest_sha256, submitted_at, generated_at
         FROM miner_scores WHERE miner_hotkey = '${C}' AND validator_hotkey = '${V1}' ORDER BY epoch_id`,
      );
      assertEquals(c.rows[0], {
        uid: 3,
        score: "0.000000",
        speed: "0.000000",
        rank: null,
        reason: "nonce mismatch",
        rows: "0",
        unique_listings: "0",
        duplicates: "0",
        per_zip: "{}",
        failed_checks: ["nonce"],
        spot_checks_valid: "0",
        spot_checks_invalid: "0",
        manifest_sha256: null,
        submitted_at: "2025-10-01 17:00:00+00",
        generated_at: "2025-10-02 00:00:00+00",
      });
      assertEquals(c.rows[1].per_zip, "{77002=1}");
      assertEquals(c.rows[1].spot_checks_valid, "1");
    });

    await t.step("--validator restricts every view to one validator's outputs", async () => {
      const { rows } = await query(
        root,
        `SELECT (SELECT count(*) FROM listings) AS listings, (SELECT count(*) FROM miner_scores) AS scores,
                (SELECT count(DISTINCT validator_hotkey) FROM miner_scores) AS validators`,
        V2,
      );
      assertEquals(rows, [{ listings: "4", scores: "6", validators: "1" }]);
    });
  });
});

Deno.test("the views leave out unreadable files with a warning and keep the rest", async () => {
  await withArchive(async (root) => {
    await Deno.writeTextFile(localPath(root, V2, EPOCHS[0], OUTPUT_FILES.report), "{not json");
    await Deno.writeTextFile(localPath(root, V1, EPOCHS[2], OUTPUT_FILES.metadata), '{"epochId":"x"}');
    await Deno.writeTextFile(localPath(root, V2, EPOCHS[0], OUTPUT_FILES.winners), "not parquet");
    // A report copied into another epoch's folder names the wrong epoch.
    await Deno.copyFile(
      localPath(root, V1, EPOCHS[0], OUTPUT_FILES.report),
      localPath(root, V1, EPOCHS[1], OUTPUT_FILES.report),
    );
    const { rows, warnings } = await query(
      root,
      `SELECT (SELECT count(*) FROM listings) AS listings, (SELECT count(*) FROM miner_scores) AS scores,
              (SELECT count(*) FROM epochs) AS epochs`,
    );
    assertEquals(rows, [{ listings: "8", scores: "9", epochs: "3" }]);
    assertEquals(warnings.length, 4);
    assertMatch(warnings.join("\n"), /winners\.parquet: unreadable \(/);
    assertMatch(warnings.join("\n"), /validation_report\.json: not JSON \(/);
    assertMatch(warnings.join("\n"), /epoch_metadata\.json: not epoch metadata \(epochId: /);
    assertMatch(
      warnings.join("\n"),
      new RegExp(`validation_report\\.json: it names epoch ${EPOCHS[0]} of ${V1}`),
    );
  });
});

Deno.test("a winners file with a column of the wrong type is left out", async () => {
  await withArchive(async (root) => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const path = localPath(root, V1, EPOCHS[1], OUTPUT_FILES.winners);
    await connection.run(`COPY (SELECT 'x' AS miner_hotkey, 'high' AS price) TO '${path}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const { rows, warnings } = await query(root, "SELECT count(*) AS n FROM listings");
    assertEquals(rows, [{ n: "8" }]);
    assertMatch(warnings[0], /winners\.parquet: column "price" is VARCHAR, expected BIGINT$/);
  });
});

Deno.test("every view is empty, with its columns, over an empty archive", async () => {
  const root = await Deno.makeTempDir({ prefix: "zipmine-query-test-" });
  try {
    for (const view of ["listings", "winners", "epochs", "miner_scores"]) {
      const { rows, columns } = await query(root, `SELECT * FROM ${view}`);
      assertEquals(rows, []);
      assertEquals(columns.slice(0, 3), ["epoch_id", "epoch_start", "validator_hotkey"]);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
