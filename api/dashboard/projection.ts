/**
 * The map projection of the dashboard: d3's `geoAlbersUsa` (the one us-atlas's projected files use), written
 * out so the API needs no mapping library. Three conic equal-area (Albers) projections share one viewport:
 *
 * - the contiguous states: standard parallels 29.5°N and 45.5°N, central meridian 96°W, centred on 38.7°N;
 * - Alaska (EPSG:3338-like): parallels 55°N and 65°N, meridian 154°W, at 0.35 of the scale, lower left;
 * - Hawaii (ESRI:102007-like): parallels 8°N and 18°N, meridian 157°W, lower left beside Alaska.
 *
 * With the defaults (scale 1300, translate [487.5, 305]) the country fills a 975 × 610 viewport. A point is
 * tried on the contiguous states first, then Alaska, then Hawaii, each clipped to its box, exactly as d3 does;
 * anything outside all three (Puerto Rico, Guam, open sea) has no position. Pure.
 * @module
 */

/** Width and height of the viewport the default scale and translation fill. */
export const MAP_SIZE = { width: 975, height: 610 } as const;

const RADIANS = Math.PI / 180;
const EPSILON = 1e-6;
/** d3's `scale(1300).translate([487.5, 305])`: the main scale and the contiguous states' centre. */
const K = 1300;
const TX = 487.5;
const TY = 305;

/** A planar point in viewport pixels. */
export type Point = readonly [number, number];

/** One conic equal-area projection with d3's rotate / center / scale / translate semantics. */
interface Conic {
  name: UsaPart["name"];
  /** Central meridian (degrees east; d3's `rotate([-meridian, 0])`). */
  meridian: number;
  parallels: readonly [number, number];
  /** The centre, relative to the meridian, in degrees (d3's `center`). */
  center: readonly [number, number];
  scale: number;
  translate: Point;
  /** Clip box as fractions of the main scale around the main translation: [x0, y0, x1, y1]. */
  clip: readonly [number, number, number, number];
  /** d3 shrinks the Alaska and Hawaii boxes by a hair so that a shared edge belongs to one part only. */
  inset: number;
}

const CONICS: readonly Conic[] = [
  {
    name: "contiguous",
    meridian: -96,
    parallels: [29.5, 45.5],
    center: [-0.6, 38.7],
    scale: K,
    translate: [TX, TY],
    clip: [-0.455, -0.238, 0.455, 0.238],
    inset: 0,
  },
  {
    name: "alaska",
    meridian: -154,
    parallels: [55, 65],
    center: [-2, 58.5],
    scale: K * 0.35,
    translate: [TX - 0.307 * K, TY + 0.201 * K],
    clip: [-0.425, 0.12, -0.214, 0.234],
    inset: EPSILON,
  },
  {
    name: "hawaii",
    meridian: -157,
    parallels: [8, 18],
    center: [-3, 19.9],
    scale: K,
    translate: [TX - 0.205 * K, TY + 0.212 * K],
    clip: [-0.214, 0.166, -0.115, 0.234],
    inset: EPSILON,
  },
];

/** Albers' raw formulas for `parallels`, in radians in, unit plane out. */
function conicRaw(parallels: readonly [number, number]): (lambda: number, phi: number) => Point {
  const sy0 = Math.sin(parallels[0] * RADIANS);
  const n = (sy0 + Math.sin(parallels[1] * RADIANS)) / 2;
  const c = 1 + sy0 * (2 * n - sy0);
  const r0 = Math.sqrt(c) / n;
  return (lambda, phi) => {
    const r = Math.sqrt(c - 2 * n * Math.sin(phi)) / n;
    return [r * Math.sin(lambda * n), r0 - r * Math.cos(lambda * n)];
  };
}

/** One part of the composite: its unclipped projection and its clip box. */
export interface UsaPart {
  name: "contiguous" | "alaska" | "hawaii";
  /** Projects (longitude, latitude) in degrees, ignoring the clip box. */
  project(lon: number, lat: number): Point;
  /** Whether a projected point lies inside this part's box. */
  contains(point: Point): boolean;
}

function part(conic: Conic): UsaPart {
  const raw = conicRaw(conic.parallels);
  const [cx, cy] = raw(conic.center[0] * RADIANS, conic.center[1] * RADIANS);
  const [x0, y0, x1, y1] = conic.clip;
  const { inset } = conic;
  return {
    name: conic.name,
    project(lon, lat) {
      let lambda = (lon - conic.meridian) * RADIANS;
      if (lambda > Math.PI) lambda -= 2 * Math.PI;
      else if (lambda < -Math.PI) lambda += 2 * Math.PI;
      const [rx, ry] = raw(lambda, lat * RADIANS);
      return [conic.translate[0] + conic.scale * (rx - cx), conic.translate[1] - conic.scale * (ry - cy)];
    },
    contains: ([x, y]) =>
      x >= TX + x0 * K + inset && x <= TX + x1 * K - inset && y >= TY + y0 * K + inset &&
      y <= TY + y1 * K - inset,
  };
}

/** The three parts, in the order a point is tried. */
export const USA_PARTS: readonly UsaPart[] = CONICS.map(part);

/** The viewport position of (longitude, latitude) in degrees, or null when it is off the map. */
export function projectUsa(lon: number, lat: number): Point | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90) return null;
  for (const p of USA_PARTS) {
    const point = p.project(lon, lat);
    if (p.contains(point)) return point;
  }
  return null;
}
