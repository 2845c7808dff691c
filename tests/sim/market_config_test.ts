import { assertEquals, assertThrows } from "../assert.ts";
import { ConfigError } from "../../shared/config.ts";
import { marketClock, parseMarketEnv } from "./market_config.ts";

Deno.test("parseMarketEnv() applies the defaults", () => {
  const config = parseMarketEnv({});
  assertEquals(config.port, 8090);
  assertEquals(config.hostname, "127.0.0.1");
  assertEquals(config.extraPorts, []);
  assertEquals(config.defaultExpected, 300);
  assertEquals(config.blockRate, 0);
  assertEquals(config.rateLimitPerMinute, 0);
  assertEquals(config.timeScale, 1);
  assertEquals(config.startAt, null);
});

Deno.test("parseMarketEnv() reads every knob and names a bad one", () => {
  const config = parseMarketEnv({
    MARKET_SEED: "s",
    MARKET_PORT: "9000",
    MARKET_EXTRA_PORTS: "9001, 9002",
    MARKET_LATENCY_MS: "150",
    MARKET_BLOCK_RATE: "0.2",
    MARKET_RATE_LIMIT_PER_MINUTE: "30",
    MARKET_VANISH_RATE: "0.05",
    MARKET_EXPECTED: "900",
    MARKET_STRICT_HEADERS: "1",
    MARKET_START_AT: "2026-03-01T00:00:00Z",
    MARKET_TIME_SCALE: "0",
  });
  assertEquals(config.extraPorts, [9001, 9002]);
  assertEquals(config.blockRate, 0.2);
  assertEquals(config.strictHeaders, true);
  assertThrows(() => parseMarketEnv({ MARKET_BLOCK_RATE: "2" }), ConfigError, "MARKET_BLOCK_RATE");
  assertThrows(() => parseMarketEnv({ MARKET_EXTRA_PORTS: "9001,x" }), ConfigError, "MARKET_EXTRA_PORTS");
  assertThrows(() => parseMarketEnv({ MARKET_START_AT: "yesterday" }), ConfigError, "MARKET_START_AT");
  const clock = marketClock(config, new Date("2030-01-01T00:00:00Z"));
  assertEquals(
    clock(new Date("2030-01-02T00:00:00Z")).toISOString(),
    "2026-03-01T00:00:00.000Z",
    "scale 0 freezes",
  );
});
