/**
 * MARKET_* environment knobs parsed into the simulator's configuration. The knobs themselves live in the
 * project's one knob table (shared/config.ts); this maps them onto the simulator's options.
 * @module
 */
import { parseConfig } from "../../shared/config.ts";

/** The resolved configuration of one simulator process. */
export interface MarketConfig {
  seed: string;
  hostname: string;
  port: number;
  extraPorts: number[];
  latencyMs: number;
  blockRate: number;
  blockCooldownMs: number;
  rateLimitPerMinute: number;
  vanishRate: number;
  strictHeaders: boolean;
  realVariants: boolean;
  defaultExpected: number;
  buildingShare: number;
  zipsFile: string | null;
  origin: string;
  /** Market time at process start (null: the wall clock's now). */
  startAt: Date | null;
  /** Market seconds per wall second: 0 freezes the market, 3600 runs an hour per second. */
  timeScale: number;
}

/** Parses the MARKET_* knobs (declared in shared/config.ts); throws a `ConfigError` naming each bad one. */
export function parseMarketEnv(env: Record<string, string | undefined>): MarketConfig {
  const c = parseConfig(env, "market");
  return {
    seed: c.MARKET_SEED,
    hostname: c.MARKET_HOSTNAME,
    port: c.MARKET_PORT,
    extraPorts: c.MARKET_EXTRA_PORTS,
    latencyMs: c.MARKET_LATENCY_MS,
    blockRate: c.MARKET_BLOCK_RATE,
    blockCooldownMs: c.MARKET_BLOCK_COOLDOWN_MS,
    rateLimitPerMinute: c.MARKET_RATE_LIMIT_PER_MINUTE,
    vanishRate: c.MARKET_VANISH_RATE,
    strictHeaders: c.MARKET_STRICT_HEADERS,
    realVariants: c.MARKET_REAL_VARIANTS,
    defaultExpected: c.MARKET_EXPECTED,
    buildingShare: c.MARKET_BUILDING_SHARE,
    zipsFile: c.MARKET_ZIPS_FILE || null,
    origin: c.MARKET_PUBLIC_ORIGIN.replace(/\/+$/, ""),
    startAt: c.MARKET_START_AT,
    timeScale: c.MARKET_TIME_SCALE,
  };
}

/** Market time for a wall time: `startAt` plus the elapsed wall time scaled by `timeScale`. */
export function marketClock(config: MarketConfig, wallStart: Date): (wall: Date) => Date {
  const marketStartMs = (config.startAt ?? wallStart).getTime();
  return (wall) => new Date(marketStartMs + (wall.getTime() - wallStart.getTime()) * config.timeScale);
}
