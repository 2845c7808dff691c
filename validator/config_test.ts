import { assertEquals, assertThrows } from "../tests/assert.ts";
import { ConfigError } from "../shared/config.ts";
import { parseQueryConfig, parseValidatorConfig, VALIDATOR_KNOBS } from "./config.ts";

Deno.test("parseValidatorConfig() applies defaults and needs no API secret", () => {
  const c = parseValidatorConfig({});
  assertEquals([c.SPOT_CHECK_COUNT, c.JUDGE_ATTEMPTS, c.CHAIN_ENDPOINT], [10, 3, "finney"]);
  assertEquals("EPOCH_SECRET" in c, false);
});

Deno.test("parseValidatorConfig() orders the judging leads inside the epoch", () => {
  assertThrows(
    () => parseValidatorConfig({ EPOCH_SECONDS: "120", UPLOAD_LEAD_SECONDS: "10" }),
    ConfigError,
    "FINALIZE_LEAD",
  );
  assertThrows(
    () => parseValidatorConfig({ JUDGE_DEADLINE_LEAD_SECONDS: "1800" }),
    ConfigError,
    "JUDGE_DEADLINE_LEAD_SECONDS",
  );
});

Deno.test("parseQueryConfig() reads the object-storage knobs and its cache folder", () => {
  const c = parseQueryConfig({ QUERY_CACHE_DIR: "/tmp/q", S3_FORCE_PATH_STYLE: "yes" });
  assertEquals([c.QUERY_CACHE_DIR, c.S3_FORCE_PATH_STYLE, c.S3_ACCESS_KEY_ID], ["/tmp/q", true, undefined]);
});

Deno.test("WEIGHTS_MECHANISMS: empty means all, a list names mechanism ids 0..15", () => {
  const schema = VALIDATOR_KNOBS.WEIGHTS_MECHANISMS.schema;
  assertEquals(schema.parse(""), []);
  assertEquals(schema.parse("0,2"), [0, 2]);
  for (const bad of ["16", "a", "1,", "-1"]) assertEquals(schema.safeParse(bad).success, false, bad);
});
