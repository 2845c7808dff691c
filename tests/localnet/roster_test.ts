import { assert, assertEquals, assertRejects, assertThrows } from "../assert.ts";
import { buildRoster, loadRoster } from "./roster.ts";
import { parseRosterFile, RosterError, stripJsonComments } from "./roster_file.ts";
import { minerProcess, type NetworkEnv, validatorProcess } from "./participants.ts";

const NET: NetworkEnv = {
  common: { NETUID: "46" },
  apiUrl: "http://127.0.0.1:1",
  market: "http://127.0.0.1:2",
  hostileMarket: "http://127.0.0.1:3",
  s3: { S3_ENDPOINT: "http://127.0.0.1:4", S3_BUCKET: "b" },
  apiHotkey: "5API",
  wallets: "/w",
  dir: "/d",
  freePort: () => 9,
};

Deno.test("the default roster is the fixed roster localnet always ran", async () => {
  const roster = await loadRoster();
  assertEquals(roster.miners.map((m) => [m.label, m.strategy, m.expect, m.requestsPerMinute]), [
    ["honest_fast", "honest", "honest", 6000],
    ["honest_slow", "honest", "honest", 200],
    ...[
      "fabricator",
      "wrong_zip",
      "nonceless",
      "stale",
      "duplicator",
      "late",
      "null_manifest",
      "dup_key_manifest",
      "missing_files",
      "huge_manifest",
      "nan_values",
    ].map((s) => [s, s, "zero", 6000]),
  ]);
  assertEquals(roster.validators.map((v) => [v.name, v.strategy, v.unlucky, v.agrees, v.stake]), [
    ["validator-a", "honest", false, true, 25_000],
    ["validator-b", "honest", true, true, 25_000],
    ["validator-hostile", "malformed_evidence", false, true, 25_000],
  ]);
});

Deno.test("the adversarial roster holds every smart cheat and a lying validator outside the agreement", async () => {
  const roster = await loadRoster("adversarial");
  const strategies = new Set(roster.miners.map((m) => m.strategy));
  for (const s of ["filler", "partial_fast", "padder", "tamperer", "twin_fabricator", "restamper", "sybil"]) {
    assert(strategies.has(s as never), s);
  }
  assertEquals(roster.miners.filter((m) => m.strategy === "twin_fabricator").length, 2);
  assertEquals(roster.miners.filter((m) => m.expect === "copy").length, 3);
  assertEquals(roster.miners.find((m) => m.strategy === "partial_fast")?.expect, "below");
  const liar = roster.validators.find((v) => v.strategy === "lying")!;
  assertEquals(liar.agrees, false);
});

Deno.test("an external command gets the built-in environment plus the object store, and its own env", async () => {
  const roster = await loadRoster("tests/localnet/rosters/example-external.jsonc");
  const mine = minerProcess(roster.miners.find((m) => m.name === "my-miner")!, NET);
  assertEquals([mine.name, mine.program, mine.args], ["miner-my-miner", "deno", [
    "run",
    "-A",
    "miner/main.ts",
  ]]);
  assertEquals(mine.env.WALLET_PATH, "/w");
  assertEquals(mine.env.WALLET_NAME, "my-miner");
  assertEquals(mine.env.API_URL, NET.apiUrl);
  assertEquals([mine.env.MARKET_URL, mine.env.LISTING_SITE_URL], [NET.market, NET.market]);
  assertEquals(mine.env.S3_ENDPOINT, "http://127.0.0.1:4");
  assertEquals(mine.env.REQUESTS_PER_MINUTE, "1000");
  assertEquals(mine.env.MINER_STATE_DIR, "/d/miners/my-miner");
  assertEquals(mine.env.MINER_STRATEGY, undefined);
  assertEquals(mine.env.NETUID, "46");
  const builtin = minerProcess(roster.miners[0], NET);
  assertEquals([builtin.program, builtin.args, builtin.env.MINER_STRATEGY], [null, [
    "run",
    "-A",
    "miner/main.ts",
  ], "honest"]);
  assertEquals(builtin.env.S3_ENDPOINT, undefined);
  const validator = validatorProcess(roster.validators[1], NET);
  assertEquals([validator.name, validator.program, validator.env.WALLET_NAME], [
    "my-validator",
    "deno",
    "my-validator",
  ]);
  assertEquals(roster.validators[1].agrees, true);
  assertEquals(roster.miners.find((m) => m.name === "my-miner")!.expect, "honest");
});

Deno.test("a roster file with mistakes names each one", () => {
  const text = JSON.stringify({
    miners: [
      { name: "a", strategy: "honest" },
      { name: "b", strategy: "fabricater" },
      { name: "Bad Name", command: [] },
      { name: "both", strategy: "honest", command: ["x"] },
      { name: "c", strategy: "honest", speed: 1 },
    ],
    validators: [{ name: "v", strategy: "honest", stake: 10_000 }],
  });
  const error = assertThrows(() => parseRosterFile(text, "r.json"), RosterError);
  for (
    const part of [
      "Roster r.json is invalid",
      'miners.1.strategy: Invalid option: expected one of "honest"',
      "miners.2.name: expected 1-40 lowercase letters",
      "miners.2.command: expected [program, ...arguments]",
      'miners.3: expected either "strategy"',
      'miners.4: Unrecognized key: "speed"',
      "validators.0.stake: expected at least 20000 (the API's VALIDATOR_MIN_STAKE",
    ]
  ) {
    assert(error.message.includes(part), `${part} in ${error.message}`);
  }
  const names = JSON.stringify({
    miners: [{ name: "a", strategy: "honest" }, { name: "a", strategy: "stale" }],
    validators: [{ name: "api", strategy: "honest" }],
  });
  const clash = assertThrows(() => parseRosterFile(names, "n.json"), RosterError);
  assert(clash.message.includes('miners.1.name: name "a" is used twice'), clash.message);
  assert(clash.message.includes('validators.0.name: name "api" is reserved by localnet'), clash.message);
  assertThrows(() => parseRosterFile("{ nope", "x.json"), RosterError, "Roster x.json is not JSON");
  assertThrows(() => parseRosterFile('{"miners": []}', "y.json"), RosterError, "miners");
});

Deno.test("comments are stripped outside strings only", () => {
  const text = '{ // a comment\n "a": "http://x/*y*/", /* block */ "b": "// kept" }';
  assertEquals(JSON.parse(stripJsonComments(text)), { a: "http://x/*y*/", b: "// kept" });
  const roster =
    '{ "miners": [{ "name": "m", "strategy": "honest" }], // one\n "validators": [{ "name": "v", "strategy": "lying" }] }';
  assertEquals(buildRoster(parseRosterFile(roster, "t")).miners[0].label, "m");
});

Deno.test("an unknown roster name is a clear error", async () => {
  await assertRejects(() => loadRoster("no-such-roster"), RosterError, 'Roster "no-such-roster" not found');
});
