import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import {
  ConfigError,
  CORE_KNOBS,
  coreChecks,
  integer,
  knob,
  parseKnobs,
  renderEnvExample,
  secretValues,
  text,
} from "./config.ts";

const CORE = { component: "validator", table: CORE_KNOBS, checks: coreChecks } as const;

Deno.test("parseKnobs() applies the core's defaults", () => {
  const c = parseKnobs(CORE, {});
  assertEquals(c.EPOCH_SECONDS, 14_400);
  assertEquals(c.UPLOAD_LEAD_SECONDS, 900);
  assertEquals(c.TOP_SHARES, [50, 30, 15]);
  assertEquals([c.SCORE_SPEED_PERCENT, c.SCORE_QUALITY_PERCENT, c.SCORE_VOLUME_PERCENT], [40, 40, 20]);
  assertEquals(c.NETUID, 46);
});

Deno.test("parseKnobs() parses environment strings to typed values", () => {
  const c = parseKnobs(CORE, { EPOCH_SECONDS: "120", UPLOAD_LEAD_SECONDS: "20", TOP_SHARES: "60,20" });
  assertEquals(c.EPOCH_SECONDS, 120);
  assertEquals(c.TOP_SHARES, [60, 20]);
});

Deno.test("parseKnobs() names every invalid knob in one error", () => {
  const error = assertThrows(
    () => parseKnobs(CORE, { NETUID: "lots", SPOT_CHECK_COUNT: "5000", API_URL: "ftp://x" }),
    ConfigError,
  ) as ConfigError;
  assertEquals(error.problems.length, 3);
  assert(error.message.includes('NETUID="lots"'));
  assert(error.message.includes("SPOT_CHECK_COUNT"));
  assert(error.message.includes("API_URL"));
});

// A table of its own, so these rules are tested apart from any program's knobs.
const TOY = {
  TOY_SECRET: knob(text.min(8), undefined, "a secret", ["api"], { secret: true }),
  TOY_COUNT: knob(integer(0), "1", "a count", ["api"]),
};

Deno.test("parseKnobs() requires a component's knobs that have no default", () => {
  const error = assertThrows(
    () => parseKnobs({ component: "api", table: TOY }, {}),
    ConfigError,
  ) as ConfigError;
  assert(error.problems.some((p) => p.startsWith("TOY_SECRET is required")));
  // Another component does not read TOY_SECRET, so it may be absent there.
  assertEquals(parseKnobs({ component: "miner", table: TOY }, {}).TOY_SECRET, undefined);
});

Deno.test("parseKnobs() never echoes a secret knob's value", () => {
  const error = assertThrows(
    () => parseKnobs({ component: "api", table: TOY }, { TOY_SECRET: "short" }),
    ConfigError,
  );
  assert(error.message.includes("TOY_SECRET=(hidden)"));
  assert(!error.message.includes("short"));
});

Deno.test("coreChecks() checks the rules that tie core knobs together", () => {
  const cases: [Record<string, string>, string][] = [
    [{ EPOCH_SECONDS: "7000" }, "must divide 86400"],
    [{ EPOCH_SECONDS: "120", UPLOAD_LEAD_SECONDS: "120" }, "must be below EPOCH_SECONDS"],
    [{ SCORE_VOLUME_PERCENT: "30" }, "must sum to 100"],
    [{ TOP_SHARES: "60,30,15" }, "exceed 100"],
  ];
  for (const [env, message] of cases) assertThrows(() => parseKnobs(CORE, env), ConfigError, message);
});

Deno.test("parseKnobs() caps the participation pool at 5 percent", () => {
  assertThrows(() => parseKnobs(CORE, { PARTICIPATION_POOL_PERCENT: "6" }), ConfigError, "PARTICIPATION");
});

Deno.test("secretValues() lists exactly the secret knobs' values", () => {
  const c = parseKnobs({ component: "api", table: TOY }, { TOY_SECRET: "s".repeat(12) });
  assertEquals(secretValues(TOY, c), ["s".repeat(12)]);
  assertEquals(secretValues(TOY, {}), []);
});

Deno.test("renderEnvExample() lists each knob once, secrets empty", () => {
  const out = renderEnvExample([TOY, { TOY_COUNT: TOY.TOY_COUNT }]);
  assertEquals(out.split("\n").filter((l) => /^[A-Z_]+=/.test(l)), ["TOY_SECRET=", "TOY_COUNT=1"]);
});
