import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import { ConfigError, secretValues } from "../shared/config.ts";
import { API_TABLE, parseAdminConfig, parseApiConfig } from "./config.ts";

const SECRET = "s".repeat(40);
const apiEnv = { EPOCH_SECRET: SECRET, S3_ACCESS_KEY_ID: "AKIA", S3_SECRET_ACCESS_KEY: "shh" };

Deno.test("parseApiConfig() applies the plan's defaults", () => {
  const c = parseApiConfig(apiEnv);
  assertEquals(c.TARGET_LISTINGS, 10_000);
  assertEquals(c.TOLERANCE_PERCENT, 10);
  assertEquals(c.MIN_ZIPCODE_LISTINGS, 200);
  assertEquals(c.MAX_ZIPCODE_LISTINGS, 3000);
  assertEquals(c.COOLDOWN_HOURS, 24);
  assertEquals(c.EPOCH_SECONDS, 14_400);
  assertEquals(c.S3_FORCE_PATH_STYLE, false);
});

Deno.test("parseApiConfig() parses environment strings to typed values", () => {
  const c = parseApiConfig({
    ...apiEnv,
    EPOCH_SECONDS: "120",
    UPLOAD_LEAD_SECONDS: "20",
    S3_FORCE_PATH_STYLE: "true",
  });
  assertEquals(c.EPOCH_SECONDS, 120);
  assertEquals(c.S3_FORCE_PATH_STYLE, true);
});

Deno.test("parseApiConfig() names every invalid knob in one error", () => {
  const error = assertThrows(
    () =>
      parseApiConfig({ ...apiEnv, TARGET_LISTINGS: "lots", TOLERANCE_PERCENT: "150", API_URL: "ftp://x" }),
    ConfigError,
  ) as ConfigError;
  assertEquals(error.problems.length, 3);
  assert(error.message.includes('TARGET_LISTINGS="lots"'));
  assert(error.message.includes("TOLERANCE_PERCENT"));
  assert(error.message.includes("API_URL"));
});

Deno.test("parseApiConfig() requires EPOCH_SECRET and the presigning keys, and never echoes them", () => {
  const error = assertThrows(() => parseApiConfig({}), ConfigError) as ConfigError;
  assert(error.problems.some((p) => p.startsWith("EPOCH_SECRET is required")));
  assertThrows(() => parseApiConfig({ EPOCH_SECRET: SECRET }), ConfigError, "S3_ACCESS_KEY_ID and S3_SECRET");
  const short = assertThrows(() => parseApiConfig({ ...apiEnv, EPOCH_SECRET: "short-secret" }), ConfigError);
  assert(short.message.includes("EPOCH_SECRET=(hidden)"));
  assert(!short.message.includes("short-secret"));
});

Deno.test("parseApiConfig() checks the API's and the core's cross-knob rules", () => {
  assertThrows(
    () => parseApiConfig({ ...apiEnv, MIN_ZIPCODE_LISTINGS: "5000" }),
    ConfigError,
    "exceeds MAX_ZIPCODE",
  );
  assertThrows(() => parseApiConfig({ ...apiEnv, EPOCH_SECONDS: "7000" }), ConfigError, "must divide 86400");
});

Deno.test("secretValues() of the API table lists exactly the secret knobs' values", () => {
  assertEquals(secretValues(API_TABLE, parseApiConfig(apiEnv)).sort(), [SECRET, "AKIA", "shh"].sort());
});

Deno.test("parseAdminConfig() reads only KV_PATH", () => {
  assertEquals(parseAdminConfig({ KV_PATH: "/tmp/x.kv", NETUID: "not a number" }), { KV_PATH: "/tmp/x.kv" });
});
