/**
 * The set of ZIP markets one server simulates: the optional ZIP table (facts and expected counts), a
 * bounded cache of `ZipMarket`s, and the lookups routes need (regionId → ZIP, ZIPs under map bounds,
 * neighbours for relaxed results, the ZIP holding a building).
 * @module
 */
import { createZipMarket, type ZipMarket } from "./inventory.ts";
import type { Building } from "./zip_profile.ts";
import {
  gridZipsInBounds,
  isInBounds,
  type MapBounds,
  resolveZipInfo,
  zipForRegionId,
  type ZipInfo,
} from "./zip_info.ts";

/** One row of the optional ZIP table: facts to override and the ZIP's expected listings. */
export interface ZipTableEntry extends Partial<Omit<ZipInfo, "zip">> {
  zip: string;
  expected?: number;
}

/** Inputs of `createMarketRegistry`. */
export interface RegistryOptions {
  seed: string;
  /** Expected listings for a ZIP that is not in the table. */
  defaultExpected: number;
  zips?: ZipTableEntry[];
  buildingShare?: number;
  /** Markets kept in memory at once (least recently used are dropped; they rebuild identically). */
  maxMarkets?: number;
}

/** Lookups over the simulated ZIPs. */
export interface MarketRegistry {
  seed: string;
  infoFor(zip: string): ZipInfo;
  expectedFor(zip: string): number;
  marketFor(zip: string): ZipMarket;
  zipForRegion(regionId: number): string | null;
  zipsInBounds(bounds: MapBounds): string[];
  neighboursOf(zip: string): string[];
  findBuilding(latitude: number, longitude: number): { building: Building; market: ZipMarket } | null;
}

const GRID_SCAN_LIMIT = 64;

function isZip(text: string): boolean {
  return /^\d{5}$/.test(text);
}

/** Builds the registry; nothing is drawn until a ZIP is first asked for. */
export function createMarketRegistry(options: RegistryOptions): MarketRegistry {
  const table = new Map((options.zips ?? []).map((entry) => [entry.zip, entry]));
  const tableInfos = [...table.keys()].map((zip) => resolveZipInfo(zip, table.get(zip)));
  const regionTable = new Map(tableInfos.map((info) => [info.regionId, info.zip]));
  const markets = new Map<string, ZipMarket>();
  const maxMarkets = options.maxMarkets ?? 256;

  function infoFor(zip: string): ZipInfo {
    return resolveZipInfo(zip, table.get(zip));
  }

  function expectedFor(zip: string): number {
    return table.get(zip)?.expected ?? options.defaultExpected;
  }

  function marketFor(zip: string): ZipMarket {
    let market = markets.get(zip);
    if (market) {
      markets.delete(zip); // re-insert to mark as most recently used
    } else {
      market = createZipMarket(zip, {
        seed: options.seed,
        expected: expectedFor(zip),
        info: infoFor(zip),
        buildingShare: options.buildingShare,
      });
    }
    markets.set(zip, market);
    if (markets.size > maxMarkets) markets.delete(markets.keys().next().value!);
    return market;
  }

  function zipForRegion(regionId: number): string | null {
    return regionTable.get(regionId) ?? zipForRegionId(regionId);
  }

  // Table ZIPs sit at their real centres; derived ZIPs on the grid, unless the table moved them.
  function zipsInBounds(bounds: MapBounds): string[] {
    const found = tableInfos.filter((info) => isInBounds(bounds, info.latitude, info.longitude)).map((i) =>
      i.zip
    );
    for (const zip of gridZipsInBounds(bounds, GRID_SCAN_LIMIT)) {
      if (!table.has(zip) && !found.includes(zip)) found.push(zip);
    }
    // A box that only clips a table ZIP's edge still shows its listings.
    for (const info of tableInfos) {
      const padded = {
        west: bounds.west - 0.05,
        east: bounds.east + 0.05,
        south: bounds.south - 0.05,
        north: bounds.north + 0.05,
      };
      if (!found.includes(info.zip) && isInBounds(padded, info.latitude, info.longitude)) {
        found.push(info.zip);
      }
    }
    return found;
  }

  function neighboursOf(zip: string): string[] {
    const number = Number(zip);
    return [number + 1, number - 1].map((n) => String(n).padStart(5, "0")).filter((candidate) =>
      isZip(candidate) && candidate !== zip
    );
  }

  function findBuilding(latitude: number, longitude: number) {
    const box = {
      west: longitude - 0.001,
      east: longitude + 0.001,
      south: latitude - 0.001,
      north: latitude + 0.001,
    };
    const candidates = new Set([...zipsInBounds(box), ...markets.keys()]);
    for (const zip of candidates) {
      const market = marketFor(zip);
      const building = market.profile.buildings.find((b) =>
        b.latitude === latitude && b.longitude === longitude
      );
      if (building) return { building, market };
    }
    return null;
  }

  return {
    seed: options.seed,
    infoFor,
    expectedFor,
    marketFor,
    zipForRegion,
    zipsInBounds,
    neighboursOf,
    findBuilding,
  };
}
