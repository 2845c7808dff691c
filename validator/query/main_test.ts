// `deno task query` as a subprocess over a local archive: each output format, the README's worked
// examples, and the exit status and stderr of a bad query, a missing source and an empty archive.
import { join } from "node:path";
import { assertEquals, assertMatch } from "../../tests/assert.ts";
import { A, B, C, EPOCHS, writeArchive } from "../../tests/harness/archive_fixture.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function query(...args: string[]): Promise<Run> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "validator/query/main.ts", ...args],
    cwd: new URL("../../", import.meta.url),
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** The worked examples of the README, as they are pasted there. */
const EXAMPLES = {
  listingsPerZip: "SELECT epoch_start, zipcode, count(DISTINCT zpid) AS listings FROM listings " +
    "GROUP BY ALL ORDER BY zipcode, epoch_start",
  rankHistory: "SELECT miner_hotkey, epoch_id, min(rank) AS best_rank, max(rank) AS worst_rank, " +
    "count(*) AS validators FROM miner_scores GROUP BY ALL ORDER BY miner_hotkey, epoch_id",
  priceChanges: "SELECT epoch_id, price, price - lag(price) OVER (ORDER BY epoch_id) AS change " +
    "FROM (SELECT DISTINCT epoch_id, price FROM listings WHERE zpid = '900000000') ORDER BY epoch_id",
};

Deno.test("deno task query over a local archive", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "zipmine-query-main-" });
  try {
    await writeArchive(root);

    await t.step("table is the default format, with aligned columns and a row count", async () => {
      const run = await query("--dir", root, EXAMPLES.listingsPerZip);
      assertEquals(run, {
        code: 0,
        stderr: "",
        stdout: [
          "epoch_start             zipcode  listings",
          "----------------------  -------  --------",
          "2025-10-01 16:00:00+00  77001           2",
          "2025-10-01 20:00:00+00  77001           3",
          "2025-10-01 16:00:00+00  77002           1",
          "2025-10-01 20:00:00+00  77002           1",
          "(4 rows)",
          "",
        ].join("\n"),
      });
    });

    await t.step("csv: each miner's rank history", async () => {
      const run = await query("--dir", root, "--format", "csv", EXAMPLES.rankHistory);
      const rows = (epoch: number, r: [string, string], n: number) => `${EPOCHS[epoch]},${r[0]},${r[1]},${n}`;
      assertEquals(run.stdout.trimEnd().split("\n"), [
        "miner_hotkey,epoch_id,best_rank,worst_rank,validators",
        `${B},${rows(0, ["2", "2"], 2)}`,
        `${B},${rows(1, ["1", "1"], 2)}`,
        `${B},${rows(2, ["", ""], 1)}`,
        `${A},${rows(0, ["1", "1"], 2)}`,
        `${A},${rows(1, ["2", "2"], 2)}`,
        `${A},${rows(2, ["", ""], 1)}`,
        `${C},${rows(0, ["", ""], 2)}`,
        `${C},${rows(1, ["3", "3"], 2)}`,
        `${C},${rows(2, ["", ""], 1)}`,
      ]);
    });

    await t.step("json: price changes of one listing across epochs", async () => {
      const run = await query("--dir", root, "--format=json", EXAMPLES.priceChanges);
      assertEquals(JSON.parse(run.stdout), [
        { epoch_id: EPOCHS[0], price: 250000, change: null },
        { epoch_id: EPOCHS[1], price: 255000, change: 5000 },
      ]);
    });

    await t.step("--file runs every statement and prints the last one's rows", async () => {
      const file = join(root, "q.sql");
      await Deno.writeTextFile(
        file,
        "CREATE TEMP TABLE w AS SELECT * FROM winners;\nSELECT count(*) AS n FROM w WHERE rank = 1;\n",
      );
      assertEquals(await query("--dir", root, "--format", "csv", "--file", file), {
        code: 0,
        stdout: "n\n3\n",
        stderr: "",
      });
    });

    await t.step("a bad query prints DuckDB's message alone and exits 1", async () => {
      const run = await query("--dir", root, "SELEC * FROM listings");
      assertEquals([run.code, run.stdout], [1, ""]);
      assertEquals(
        run.stderr,
        'Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC * FROM listings\n        ^\n',
      );
      const missing = await query("--dir", root, "SELECT nope FROM epochs");
      assertEquals([missing.code, missing.stdout], [1, ""]);
      assertMatch(missing.stderr, /^Binder Error: Referenced column "nope" not found/);
      assertEquals(missing.stderr.includes("    at "), false);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task query names a missing or misshapen source and exits 1", async () => {
  const root = await Deno.makeTempDir({ prefix: "zipmine-query-main-" });
  try {
    assertEquals(await query("--dir", join(root, "absent"), "SELECT 1"), {
      code: 1,
      stdout: "",
      stderr: `Cannot read archive "${join(root, "absent")}": not found\n`,
    });
    const run = await query("--dir", root, "SELECT 1");
    assertEquals([run.code, run.stdout], [1, ""]);
    assertMatch(run.stderr, /: no validators\/ folder in it \(expected the validator bucket's layout\)\n$/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task query over an empty archive says so and exits 0 with empty views", async () => {
  const root = await Deno.makeTempDir({ prefix: "zipmine-query-main-" });
  try {
    await Deno.mkdir(join(root, "validators"));
    assertEquals(await query("--dir", root, "--format", "csv", "SELECT count(*) AS n FROM listings"), {
      code: 0,
      stdout: "n\n0\n",
      stderr: `No validator outputs under ${
        join(root, "validators/")
      }: listings, winners, epochs, miner_scores are empty\n`,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task query exits 2 with the usage for a bad command line", async () => {
  const run = await query("--format", "xml", "SELECT 1");
  assertEquals([run.code, run.stdout], [2, ""]);
  assertMatch(run.stderr, /^Invalid --format "xml": expected table, csv, json\n\nUsage: deno task query/);
});
