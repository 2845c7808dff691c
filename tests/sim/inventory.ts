/**
 * A ZIP's market: which listings exist at any moment and what state each is in. Arrivals are drawn per
 * (seed, ZIP, day) and each listing's timeline per zpid, so the inventory at time t is a pure function
 * of (seed, ZIP, expected, t); the `ZipMarket` object only memoizes those draws.
 *
 * The arrival rate is the expected count over the mean days a listing stays for sale, so the for-sale
 * inventory hovers around `expected` (times a per-ZIP noise factor) as listings come and go.
 * @module
 */
import { createPrng } from "../../shared/prng.ts";
import {
  type MarketStatus,
  MAX_TIMELINE_DAYS,
  MEAN_FOR_SALE_DAYS,
  planTimeline,
  type TimelineEvent,
  type TimelineKind,
  timelineStateAt,
} from "./lifecycle.ts";
import { type ListingFacts, listingFactsFor, roundPrice } from "./listing_facts.ts";
import { createZipProfile, type ZipProfile } from "./zip_profile.ts";
import { resolveZipInfo, type ZipInfo } from "./zip_info.ts";
import { DAY_MS, dayOf, dayStartMs, decodeZpid, encodeZpid, MAX_ARRIVALS_PER_DAY } from "./zpid_codec.ts";

/** One dated line of a listing's price history, as the detail page's `priceHistory[]` shows it. */
export interface PriceEvent {
  timeMs: number;
  date: string;
  event: string;
  price: number;
}

/** A listing as it stands at one moment: its facts plus its market state. */
export interface SimListing extends ListingFacts {
  atMs: number;
  status: MarketStatus;
  price: number;
  listedAtMs: number;
  firstListedAtMs: number;
  lastEventMs: number;
  soldAtMs: number | null;
  daysOnZillow: number;
  zestimate: number | null;
  /** Newest first, like the site. */
  priceHistory: PriceEvent[];
}

/** Inputs shared by `createZipMarket` and `inventoryFor`. */
export interface MarketOptions {
  seed: string;
  /** The API's expected listings for the ZIP; the for-sale count averages this times a ±8% ZIP factor. */
  expected: number;
  /** Facts for the ZIP; derived from the ZIP when absent. */
  info?: ZipInfo;
  /** Share of condos grouped in multi-unit buildings (default 0.35; 0 disables building cards). */
  buildingShare?: number;
}

/** Memoized draws for one ZIP; build with `createZipMarket`. */
export interface ZipMarket {
  zip: string;
  seed: string;
  expected: number;
  buildingShare: number;
  profile: ZipProfile;
  arrivalsPerDay: number;
  plansByDay: Map<number, ListingPlan[]>;
}

interface ListingPlan {
  zpid: string;
  events: TimelineEvent[];
  facts?: ListingFacts;
}

/** Every listing of the ZIP that exists at `at`, in any status. */
export interface ZipInventory {
  zip: string;
  info: ZipInfo;
  at: Date;
  expected: number;
  listings: SimListing[];
}

/** Default share of condo listings inside multi-unit buildings. */
export const DEFAULT_BUILDING_SHARE = 0.35;

// Fewer listings go live at weekends; the weights average 1 over a week (Sunday first).
const WEEKDAY_WEIGHTS = [0.5, 1.2, 1.2, 1.2, 1.2, 1.2, 0.5];
const EVENT_LABELS: Record<TimelineKind, string> = {
  listed: "Listed for sale",
  priceChange: "Price change",
  contingent: "Contingent",
  pending: "Pending sale",
  sold: "Sold",
  removed: "Listing removed",
};

/** Prepares the draws for one ZIP. */
export function createZipMarket(zip: string, options: MarketOptions): ZipMarket {
  if (!(options.expected >= 0)) {
    throw new RangeError(`Cannot build a market for "${zip}": expected must be >= 0`);
  }
  const info = options.info ?? resolveZipInfo(zip);
  const buildingShare = options.buildingShare ?? DEFAULT_BUILDING_SHARE;
  const noise = 0.92 + 0.16 * createPrng(`${options.seed}|${zip}|noise`).nextFloat();
  return {
    zip,
    seed: options.seed,
    expected: options.expected,
    buildingShare,
    profile: createZipProfile({ seed: options.seed, info, expected: options.expected, buildingShare }),
    arrivalsPerDay: (options.expected * noise) / MEAN_FOR_SALE_DAYS,
    plansByDay: new Map(),
  };
}

function arrivalsOn(market: ZipMarket, day: number): number {
  const weight = WEEKDAY_WEIGHTS[new Date(dayStartMs(day)).getUTCDay()];
  const dither = createPrng(`${market.seed}|${market.zip}|arrivals|${day}`).nextFloat();
  return Math.min(MAX_ARRIVALS_PER_DAY, Math.floor(market.arrivalsPerDay * weight + dither));
}

function planListing(market: ZipMarket, day: number, index: number): ListingPlan {
  const zpid = encodeZpid({ day, zip: market.zip, index });
  const prng = createPrng(`${market.seed}|${zpid}|timeline`);
  const arrivalMs = dayStartMs(day) + Math.floor(prng.nextFloat() * DAY_MS);
  return { zpid, events: planTimeline(prng, arrivalMs) };
}

function plansOn(market: ZipMarket, day: number): ListingPlan[] {
  let plans = market.plansByDay.get(day);
  if (!plans) {
    plans = [];
    const count = arrivalsOn(market, day);
    for (let index = 0; index < count; index++) plans.push(planListing(market, day, index));
    market.plansByDay.set(day, plans);
  }
  return plans;
}

function factsOf(market: ZipMarket, plan: ListingPlan): ListingFacts {
  plan.facts ??= listingFactsFor(market.seed, {
    zpid: plan.zpid,
    profile: market.profile,
    buildingShare: market.buildingShare,
    listedYear: new Date(plan.events[0].timeMs).getUTCFullYear(),
  });
  return plan.facts;
}

/** The asking (or sold) price for a timeline factor. */
function priceFor(facts: ListingFacts, factor: number, kind: TimelineKind): number {
  if (kind === "sold") return Math.round((facts.askPrice * factor) / 500) * 500;
  return roundPrice(facts.askPrice * factor) - (facts.charmPricing ? 100 : 0);
}

function isoDate(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

// The zestimate drifts a little month to month, smoothly and without extra draws.
function zestimateAt(facts: ListingFacts, atMs: number): number | null {
  if (facts.zestimateRatio === null) return null;
  const month = Math.floor(atMs / (30 * DAY_MS));
  const drift = 1 + 0.02 * Math.sin(month * 0.9 + facts.relevance * 2 * Math.PI);
  return Math.round((facts.askPrice * facts.zestimateRatio * drift) / 100) * 100;
}

function listingAt(facts: ListingFacts, events: TimelineEvent[], atMs: number): SimListing | null {
  const state = timelineStateAt(events, atMs);
  if (!state) return null;
  const history: PriceEvent[] = [];
  for (const event of state.events) {
    let price = priceFor(facts, event.factor, event.kind);
    if (event.kind === "removed" || event.kind === "contingent" || event.kind === "pending") {
      price = history.length > 0 ? history[history.length - 1].price : price;
    }
    history.push({
      timeMs: event.timeMs,
      date: isoDate(event.timeMs),
      event: EVENT_LABELS[event.kind],
      price,
    });
  }
  return {
    ...facts,
    atMs,
    status: state.status,
    price: history[history.length - 1].price,
    listedAtMs: state.listedAtMs,
    firstListedAtMs: state.firstListedAtMs,
    lastEventMs: state.lastEventMs,
    soldAtMs: state.soldAtMs,
    daysOnZillow: Math.floor((atMs - state.listedAtMs) / DAY_MS),
    zestimate: zestimateAt(facts, atMs),
    priceHistory: history.reverse(),
  };
}

// Old days are dropped once they fall out of the window, so a long-running server stays bounded.
function pruneBefore(market: ZipMarket, firstDay: number): void {
  if (market.plansByDay.size <= MAX_TIMELINE_DAYS + 8) return;
  for (const day of market.plansByDay.keys()) if (day < firstDay) market.plansByDay.delete(day);
}

/** Listings of the market that exist at `at`, optionally only those whose status is in `statuses`. */
export function listingsAt(market: ZipMarket, at: Date, statuses?: ReadonlySet<MarketStatus>): SimListing[] {
  const atMs = at.getTime();
  const lastDay = dayOf(atMs);
  const firstDay = Math.max(0, lastDay - MAX_TIMELINE_DAYS);
  const listings: SimListing[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    for (const plan of plansOn(market, day)) {
      if (statuses) {
        const state = timelineStateAt(plan.events, atMs);
        if (!state || !statuses.has(state.status)) continue;
      }
      const listing = listingAt(factsOf(market, plan), plan.events, atMs);
      if (listing) listings.push(listing);
    }
  }
  pruneBefore(market, firstDay);
  return listings;
}

/** The listing with `zpid` at `at`, or null if it belongs elsewhere, has not appeared or has aged out. */
export function findListing(market: ZipMarket, zpid: string, at: Date): SimListing | null {
  const origin = decodeZpid(zpid);
  if (!origin || origin.zip !== market.zip) return null;
  const lastDay = dayOf(at.getTime());
  if (origin.day > lastDay || origin.day < lastDay - MAX_TIMELINE_DAYS) return null;
  const plan = plansOn(market, origin.day)[origin.index];
  if (!plan) return null;
  return listingAt(factsOf(market, plan), plan.events, at.getTime());
}

/** Whether the default for-sale search shows the listing (contingent listings stay FOR_SALE). */
export function isForSale(listing: SimListing): boolean {
  return listing.status === "FOR_SALE" || listing.status === "CONTINGENT";
}

/** The whole inventory of a ZIP at `at`, every status included; filter with `isForSale` for the truth. */
export function inventoryFor(zip: string, options: MarketOptions & { at: Date }): ZipInventory {
  const market = createZipMarket(zip, options);
  return {
    zip,
    info: market.profile.info,
    at: options.at,
    expected: options.expected,
    listings: listingsAt(market, options.at),
  };
}
