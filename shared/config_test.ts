import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import { ConfigError, KNOBS, parseConfig, secretValues } from "./config.ts";

const SECRET = "s".repeat(40);
const apiEnv = { EPOCH_SECRET: SECRET, S3_ACCESS_KEY_ID: "AKIA", S3_SECRET_ACCESS_KEY: "shh" };

Deno.test("parseConfig() applies the plan's defaults", () => {
  const c = parseConfig(apiEnv, "api");
  assertEquals(c.TARGET_LISTINGS, 10_000);
  assertEquals(c.TOLERANCE_PERCENT, 10);
  assertEquals(c.MIN_ZIPCODE_LISTINGS, 200);
  assertEquals(c.MAX_ZIPCODE_LISTINGS, 3000);
  assertEquals(c.COOLDOWN_HOURS, 24);
  assertEquals(c.EPOCH_SECONDS, 14_400);
  assertEquals(c.UPLOAD_LEAD_SECONDS, 900);
  assertEquals(c.TOP_SHARES, [50, 30, 15]);
  assertEquals([c.SCORE_SPEED_PERCENT, c.SCORE_QUALITY_PERCENT, c.SCORE_VOLUME_PERCENT], [40, 40, 20]);
  assertEquals(c.NETUID, 46);
  assertEquals(c.S3_FORCE_PATH_STYLE, false);
});

Deno.test("parseConfig() parses environment strings to typed values", () => {
  const c = parseConfig({
    ...apiEnv,
    EPOCH_SECONDS: "120",
    UPLOAD_LEAD_SECONDS: "20",
    S3_FORCE_PATH_STYLE: "true",
  }, "api");
  assertEquals(c.EPOCH_SECONDS, 120);
  assertEquals(c.S3_FORCE_PATH_STYLE, true);
});

Deno.test("parseConfig() names every invalid knob in one error", () => {
  const error = assertThrows(
    () =>
      parseConfig(
        { ...apiEnv, TARGET_LISTINGS: "lots", TOLERANCE_PERCENT: "150", API_URL: "ftp://x" },
        "api",
      ),
    ConfigError,
  ) as ConfigError;
  assertEquals(error.problems.length, 3);
  assert(error.message.includes('TARGET_LISTINGS="lots"'));
  assert(error.message.includes("TOLERANCE_PERCENT"));
  assert(error.message.includes("API_URL"));
});

Deno.test("parseConfig() requires a component's knobs that have no default", () => {
  const error = assertThrows(() => parseConfig({}, "api"), ConfigError) as ConfigError;
  assert(error.problems.some((p) => p.startsWith("EPOCH_SECRET is required")));
  // The miner does not read EPOCH_SECRET, so it may be absent there.
  assertEquals(parseConfig({}, "miner").EPOCH_SECRET, undefined);
});

Deno.test("parseConfig() never echoes a secret knob's value", () => {
  const error = assertThrows(
    () => parseConfig({ ...apiEnv, EPOCH_SECRET: "short-secret" }, "api"),
    ConfigError,
  );
  assert(error.message.includes("EPOCH_SECRET=(hidden)"));
  assert(!error.message.includes("short-secret"));
});

Deno.test("parseConfig() checks rules that tie knobs together", () => {
  const cases: [Record<string, string>, string][] = [
    [{ EPOCH_SECONDS: "7000" }, "must divide 86400"],
    [{ EPOCH_SECONDS: "120", UPLOAD_LEAD_SECONDS: "120" }, "must be below EPOCH_SECONDS"],
    [{ MIN_ZIPCODE_LISTINGS: "5000" }, "exceeds MAX_ZIPCODE_LISTINGS"],
    [{ SCORE_VOLUME_PERCENT: "30" }, "must sum to 100"],
    [{ TOP_SHARES: "60,30,15" }, "exceed 100"],
  ];
  assertThrows(
    () => parseConfig({ EPOCH_SECONDS: "120", UPLOAD_LEAD_SECONDS: "10" }, "validator"),
    ConfigError,
    "FINALIZE_LEAD",
  );
  for (const [env, text] of cases) {
    assertThrows(() => parseConfig({ ...apiEnv, ...env }, "api"), ConfigError, text);
  }
});

Deno.test("parseConfig() caps the participation pool at 5 percent", () => {
  assertThrows(
    () => parseConfig({ ...apiEnv, PARTICIPATION_POOL_PERCENT: "6" }, "api"),
    ConfigError,
    "PARTICIPATION",
  );
});

Deno.test("secretValues() lists exactly the secret knobs' values", () => {
  const c = parseConfig(apiEnv, "api");
  assertEquals(secretValues(c).sort(), [SECRET, "AKIA", "shh"].sort());
  assert(Object.values(KNOBS).every((k) => k.doc.length > 0));
});
