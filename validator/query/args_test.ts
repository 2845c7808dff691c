import { assertEquals, assertMatch, assertThrows } from "../../tests/assert.ts";
import { parseQueryArgs, usage, UsageError } from "./args.ts";

const V = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

Deno.test("parseQueryArgs() takes the SQL as the argument, with defaults", () => {
  assertEquals(parseQueryArgs(["SELECT 1"]), {
    kind: "run",
    sql: { text: "SELECT 1" },
    format: "table",
    source: { kind: "s3" },
    env: {},
  });
});

Deno.test("parseQueryArgs() reads every option and maps knob flags to knobs", () => {
  assertEquals(
    parseQueryArgs([
      "--file",
      "q.sql",
      "--format=json",
      "--dir",
      "./archive",
      "--validator",
      V,
      "--bucket",
      "b",
      "--endpoint=http://127.0.0.1:7480",
      "--cache-dir",
      "/tmp/c",
    ]),
    {
      kind: "run",
      sql: { file: "q.sql" },
      format: "json",
      source: { kind: "dir", dir: "./archive" },
      validator: V,
      env: { S3_VALIDATOR_BUCKET: "b", S3_ENDPOINT: "http://127.0.0.1:7480", QUERY_CACHE_DIR: "/tmp/c" },
    },
  );
  assertEquals(parseQueryArgs(["--source", "s3", "SELECT 1"]).kind, "run");
  assertEquals(parseQueryArgs(["SELECT 1", "--help"]), { kind: "help" });
});

Deno.test("parseQueryArgs() rejects bad command lines with a reason", () => {
  const cases: [string[], string][] = [
    [[], "Expected the SQL as an argument or --file, not both or neither"],
    [["--file", "q.sql", "SELECT 1"], "not both or neither"],
    [["SELECT 1", "SELECT 2"], "Expected one SQL argument"],
    [["--format", "xml", "SELECT 1"], 'Invalid --format "xml": expected table, csv, json'],
    [["--source", "gcs", "SELECT 1"], 'Invalid --source "gcs"'],
    [["--source", "s3", "--dir", "x", "SELECT 1"], "Use --dir or --source, not both"],
    [["--validator", "nobody", "SELECT 1"], 'Invalid --validator: Invalid hotkey "nobody"'],
    [["--limit", "3", "SELECT 1"], 'Unknown flag "--limit"'],
    [["SELECT 1", "--format"], 'Flag "--format" needs a value'],
  ];
  for (const [argv, message] of cases) assertThrows(() => parseQueryArgs(argv), UsageError, message);
});

Deno.test("usage() names the views, every flag and its knob", () => {
  const text = usage();
  for (
    const word of ["listings", "winners", "epochs", "miner_scores", "--format <table|csv|json>", "--dir"]
  ) {
    assertMatch(text, new RegExp(word.replace(/[|<>]/g, "\\$&")));
  }
  assertMatch(text, /--cache-dir <value> +.*\[QUERY_CACHE_DIR\]/);
});
