/**
 * The market simulator's MARKET_* knobs and their mapping onto the simulator's options. The simulator is a
 * test stand-in for the listing site, not a network program: it reads only its own table.
 * @module
 */
import { z } from "zod";
import { boolean, decimal, integer, knob, parseKnobs, text, url } from "../../shared/config.ts";

const portList = z.string().trim().regex(/^(\d+( *, *\d+)*)?$/, "expected comma-separated ports")
  .transform((s) => (s === "" ? [] : s.split(",").map((p) => Number(p.trim())))).pipe(
    z.array(z.number().int().min(1).max(65_535)),
  );
const optionalIsoTime = z.string().trim().refine((s) => s === "" || !Number.isNaN(Date.parse(s)), {
  error: "expected an ISO-8601 time",
}).transform((s) => (s === "" ? null : new Date(s)));

/** The simulator's knobs. */
export const MARKET_KNOBS = {
  MARKET_SEED: knob(
    text,
    "zipmine-market",
    "Seed of the simulated market (same seed and time give the same pages)",
    [
      "market",
    ],
  ),
  MARKET_HOSTNAME: knob(text, "127.0.0.1", "Interface the market simulator listens on", ["market"]),
  MARKET_PORT: knob(integer(1, 65_535), "8090", "Main port of the market simulator", ["market"]),
  MARKET_EXTRA_PORTS: knob(
    portList,
    "",
    "Extra simulator ports, one simulated proxy exit each (comma-separated)",
    [
      "market",
    ],
  ),
  MARKET_LATENCY_MS: knob(decimal(0, 600_000), "0", "Mean added latency per simulator request (0.5x-1.5x)", [
    "market",
  ]),
  MARKET_BLOCK_RATE: knob(decimal(0, 1), "0", "Chance 0..1 that a simulator request gets the bot wall", [
    "market",
  ]),
  MARKET_BLOCK_COOLDOWN_MS: knob(
    decimal(0, 86_400_000),
    "0",
    "How long a blocked simulator client stays blocked",
    [
      "market",
    ],
  ),
  MARKET_RATE_LIMIT_PER_MINUTE: knob(
    integer(0, 1_000_000),
    "0",
    "Requests per client per minute before 429 (0: off)",
    [
      "market",
    ],
  ),
  MARKET_VANISH_RATE: knob(decimal(0, 1), "0", "Chance 0..1 that an existing detail page answers 404", [
    "market",
  ]),
  MARKET_STRICT_HEADERS: knob(boolean, "false", "Block simulator requests without a browser user-agent", [
    "market",
  ]),
  MARKET_REAL_VARIANTS: knob(
    boolean,
    "false",
    "Serve the real page variants (cards without zpid/ZIP, community links, odd totals, off-market pages)",
    ["market"],
  ),
  MARKET_EXPECTED: knob(
    integer(0, 12_000),
    "300",
    "Expected for-sale listings of a ZIP missing from MARKET_ZIPS_FILE",
    [
      "market",
    ],
  ),
  MARKET_BUILDING_SHARE: knob(
    decimal(0, 1),
    "0.35",
    "Share of condos grouped into building cards (0: none)",
    [
      "market",
    ],
  ),
  MARKET_ZIPS_FILE: knob(
    z.string().trim(),
    "",
    "JSON array of {zip, expected?, city?, state?, latitude?, longitude?}",
    [
      "market",
    ],
  ),
  MARKET_PUBLIC_ORIGIN: knob(url, "https://www.zillow.com", "Origin the simulator prints in absolute URLs", [
    "market",
  ]),
  MARKET_START_AT: knob(optionalIsoTime, "", "Market time when the simulator starts (empty: now)", [
    "market",
  ]),
  MARKET_TIME_SCALE: knob(
    decimal(0, 1_000_000),
    "1",
    "Market seconds per wall second (0 freezes listing churn)",
    [
      "market",
    ],
  ),
} as const;

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

/** Parses the MARKET_* knobs; throws a `ConfigError` naming each bad one. */
export function parseMarketEnv(env: Record<string, string | undefined>): MarketConfig {
  const c = parseKnobs({ component: "market", table: MARKET_KNOBS }, env);
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
