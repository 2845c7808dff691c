/**
 * One listing's life on the market as a timeline of dated events, drawn once from its own PRNG. Every
 * state (status, asking price, days on market) is a fold of the events up to a moment, so churn is a
 * pure function of (seed, ZIP, time) and the price history always explains the current price.
 * @module
 */
import type { Prng } from "../../shared/prng.ts";
import { DAY_MS } from "./zpid_codec.ts";

/** Event kinds; `listed` also marks a relist or a pending sale that fell through. */
export type TimelineKind = "listed" | "priceChange" | "contingent" | "pending" | "sold" | "removed";

/** One dated event; `factor` is the price as a multiple of the first asking price. */
export interface TimelineEvent {
  timeMs: number;
  kind: TimelineKind;
  factor: number;
}

/** Market status; CONTINGENT is still FOR_SALE on the site, with `contingentListingType` set. */
export type MarketStatus = "FOR_SALE" | "CONTINGENT" | "PENDING" | "SOLD" | "OFF_MARKET";

/** The fold of a timeline up to a moment. */
export interface TimelineState {
  status: MarketStatus;
  factor: number;
  /** Start of the current listing phase: days on market count from here and reset on a relist. */
  listedAtMs: number;
  firstListedAtMs: number;
  lastEventMs: number;
  soldAtMs: number | null;
  /** Events up to the moment, oldest first. */
  events: TimelineEvent[];
}

/** No timeline spans more days than this, so a ZIP's inventory only needs arrivals this recent. */
export const MAX_TIMELINE_DAYS = 400;

/**
 * Mean days a listing spends FOR_SALE or CONTINGENT under `planTimeline` (measured over 200k draws).
 * Arrivals per day are expected / MEAN, which makes the for-sale inventory average to `expected`.
 */
export const MEAN_FOR_SALE_DAYS = 79.45;

const STALE_SHARE = 0.08;
const SALE_SHARE = 0.68;
const RELIST_SHARE = 0.4;
const RELIST_SALE_SHARE = 0.55;
const CONTINGENT_SHARE = 0.4;
const FALL_THROUGH_SHARE = 0.07;
const PRICE_SLOT_DAYS = 21;

function uniform(prng: Prng, low: number, high: number): number {
  return low + (high - low) * prng.nextFloat();
}

function days(count: number): number {
  return Math.round(count * DAY_MS);
}

/** Adds price changes in (fromMs, toMs): about one every six weeks, mostly cuts. Returns the new factor. */
function addPriceChanges(prng: Prng, events: TimelineEvent[], fromMs: number, toMs: number, factor: number) {
  const slots = Math.floor((toMs - fromMs) / days(PRICE_SLOT_DAYS));
  for (let slot = 0; slot < slots; slot++) {
    if (prng.nextFloat() >= 0.5) continue;
    const timeMs = fromMs + days((slot + uniform(prng, 0.3, 1)) * PRICE_SLOT_DAYS);
    const raise = prng.nextFloat() < 0.1;
    factor *= raise ? 1 + uniform(prng, 0.01, 0.04) : 1 - uniform(prng, 0.015, 0.07);
    events.push({ timeMs: Math.min(timeMs, toMs - 1), kind: "priceChange", factor });
  }
  return factor;
}

/** Contingent (sometimes), pending, then sold; a pending sale may fall through once and relist. */
function addSale(
  prng: Prng,
  events: TimelineEvent[],
  startMs: number,
  factor: number,
  mayFallThrough: boolean,
) {
  let timeMs = startMs;
  if (prng.nextFloat() < CONTINGENT_SHARE) {
    events.push({ timeMs, kind: "contingent", factor });
    timeMs += days(uniform(prng, 4, 20));
  }
  events.push({ timeMs, kind: "pending", factor });
  const pendingDays = uniform(prng, 14, 50);
  if (mayFallThrough && prng.nextFloat() < FALL_THROUGH_SHARE) {
    const backMs = timeMs + days(uniform(prng, 5, pendingDays));
    events.push({ timeMs: backMs, kind: "listed", factor });
    const endMs = backMs + days(uniform(prng, 10, 40));
    addSale(prng, events, endMs, addPriceChanges(prng, events, backMs, endMs, factor), false);
    return;
  }
  events.push({
    timeMs: timeMs + days(pendingDays),
    kind: "sold",
    factor: factor * uniform(prng, 0.96, 1.04),
  });
}

/** Draws the whole timeline of a listing that arrives at `arrivalMs`; spans at most MAX_TIMELINE_DAYS. */
export function planTimeline(prng: Prng, arrivalMs: number): TimelineEvent[] {
  const events: TimelineEvent[] = [{ timeMs: arrivalMs, kind: "listed", factor: 1 }];
  const stale = prng.nextFloat() < STALE_SHARE;
  const activeDays = stale
    ? uniform(prng, 200, 360)
    : Math.min(200, 7 + -Math.log(1 - prng.nextFloat()) * 45);
  const endMs = arrivalMs + days(activeDays);
  let factor = addPriceChanges(prng, events, arrivalMs, endMs, 1);
  if (stale) {
    events.push({ timeMs: endMs, kind: "removed", factor });
    return events;
  }
  if (prng.nextFloat() < SALE_SHARE) {
    addSale(prng, events, endMs, factor, true);
    return events;
  }
  events.push({ timeMs: endMs, kind: "removed", factor });
  if (prng.nextFloat() >= RELIST_SHARE) return events;
  const relistMs = endMs + days(uniform(prng, 7, 45));
  factor *= uniform(prng, 0.95, 1.02);
  events.push({ timeMs: relistMs, kind: "listed", factor });
  const relistEndMs = relistMs + days(uniform(prng, 10, 80));
  factor = addPriceChanges(prng, events, relistMs, relistEndMs, factor);
  if (prng.nextFloat() < RELIST_SALE_SHARE) addSale(prng, events, relistEndMs, factor, false);
  else events.push({ timeMs: relistEndMs, kind: "removed", factor });
  return events;
}

/** The state after every event at or before `atMs`; null before the listing first appears. */
export function timelineStateAt(events: readonly TimelineEvent[], atMs: number): TimelineState | null {
  if (events.length === 0 || events[0].timeMs > atMs) return null;
  const state: TimelineState = {
    status: "FOR_SALE",
    factor: 1,
    listedAtMs: events[0].timeMs,
    firstListedAtMs: events[0].timeMs,
    lastEventMs: events[0].timeMs,
    soldAtMs: null,
    events: [],
  };
  for (const event of events) {
    if (event.timeMs > atMs) break;
    state.events.push(event);
    state.factor = event.factor;
    state.lastEventMs = event.timeMs;
    if (event.kind === "listed") {
      state.status = "FOR_SALE";
      state.listedAtMs = event.timeMs;
    } else if (event.kind === "contingent") state.status = "CONTINGENT";
    else if (event.kind === "pending") state.status = "PENDING";
    else if (event.kind === "sold") {
      state.status = "SOLD";
      state.soldAtMs = event.timeMs;
    } else if (event.kind === "removed") state.status = "OFF_MARKET";
  }
  return state;
}
