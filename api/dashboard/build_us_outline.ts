/**
 * Builds the committed map outline, `api/dashboard/us_outline.ts`:
 *
 *     deno run -A api/dashboard/build_us_outline.ts [--out <path>]
 *
 * Source: `states-10m.json` of the npm package `us-atlas@3.0.1` (ISC), the U.S. Census Bureau's 2017
 * cartographic state boundaries as TopoJSON in longitude/latitude. Steps:
 * 1. Decode the quantised, delta-encoded arcs to longitude/latitude.
 * 2. Project each arc with one part of `projection.ts` (contiguous states, Alaska or Hawaii: the part
 *    whose box holds most of its points) and drop arcs that no part holds (Puerto Rico, the other
 *    territories).
 * 3. Simplify each arc in pixels (Douglas-Peucker, `TOLERANCE_PX`), keeping its ends, so states still meet.
 * 4. Write the land as the `nation` object's rings (islands under `MIN_RING_PX` dropped) and the borders
 *    as the arcs two different states share, both as SVG paths with whole-pixel relative moves.
 * @module
 */
// us-atlas is pinned in deno.json; only this offline build tool imports it.
import states from "us-atlas/states-10m.json" with { type: "json" };
import { type Point, USA_PARTS } from "./projection.ts";

/** The subset of a TopoJSON topology this tool reads. */
export interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: number[][][];
  objects: Record<string, { geometries: TopoGeometry[] }>;
}

/** A polygon or multipolygon of arc indices (a negative index ~i is arc i reversed). */
export type TopoGeometry =
  | { type: "Polygon"; arcs: number[][]; id?: string }
  | { type: "MultiPolygon"; arcs: number[][][]; id?: string };

const TOLERANCE_PX = 0.6;
const MIN_RING_PX = 2;

/** Every arc as longitude/latitude points. */
export function decodeArcs(topology: Topology): Point[][] {
  const { scale, translate } = topology.transform;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * scale[0] + translate[0], y * scale[1] + translate[1]] as const;
    });
  });
}

/** Projects an arc with the part whose box holds most of its points; null when no part holds any. */
export function projectArc(arc: readonly Point[]): Point[] | null {
  let best: { count: number; points: Point[] } | null = null;
  for (const part of USA_PARTS) {
    const points = arc.map(([lon, lat]) => part.project(lon, lat));
    const count = points.filter((p) => part.contains(p)).length;
    if (count > 0 && count > (best?.count ?? 0)) best = { count, points };
  }
  return best?.points ?? null;
}

/** Douglas-Peucker: the points of `line` needed to stay within `tolerance` of it, ends always kept. */
export function simplify(line: readonly Point[], tolerance: number): Point[] {
  if (line.length <= 2) return [...line];
  const keep = new Uint8Array(line.length);
  keep[0] = keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(line[i], line[first], line[last]);
      if (d > worstDistance) [worst, worstDistance] = [i, d];
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** One SVG subpath: an absolute move, then relative whole-pixel lines without repeats; `z` when closed. */
export function encodePath(points: readonly Point[], closed: boolean): string {
  const rounded = points.map(([x, y]) => [Math.round(x), Math.round(y)] as const)
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  if (rounded.length < 2) return "";
  const [[x0, y0], ...rest] = rounded;
  const moves = rest.map(([x, y], i) => {
    const [px, py] = rounded[i];
    return `${x - px} ${y - py}`;
  });
  // "-" separates numbers by itself, so " -" loses its space.
  return `M${x0} ${y0}l${moves.join(" ")}${closed ? "z" : ""}`.replace(/ -/g, "-");
}

function arcOf(arcs: readonly (Point[] | null)[], index: number): Point[] | null {
  const arc = arcs[index < 0 ? ~index : index];
  return arc && index < 0 ? [...arc].reverse() : arc;
}

/** Land and borders of `topology` as SVG path data. */
export function buildOutline(topology: Topology): { land: string; borders: string } {
  const arcs = decodeArcs(topology).map((arc) => {
    const projected = projectArc(arc);
    return projected && simplify(projected, TOLERANCE_PX);
  });

  const land: string[] = [];
  for (const geometry of topology.objects.nation.geometries) {
    const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.arcs;
    for (const ring of polygons.flat()) {
      const parts = ring.map((i) => arcOf(arcs, i));
      if (parts.some((p) => p === null)) continue;
      const points = parts.flatMap((p, i) => (i === 0 ? p! : p!.slice(1)));
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
      if (extent >= MIN_RING_PX) land.push(encodePath(points, true));
    }
  }

  // An arc used by two different states is a border between them; coastlines are used once.
  const users = new Map<number, Set<string>>();
  topology.objects.states.geometries.forEach((geometry, n) => {
    const rings = (geometry.type === "Polygon" ? [geometry.arcs] : geometry.arcs).flat(2);
    for (const i of rings) {
      const index = i < 0 ? ~i : i;
      users.set(index, (users.get(index) ?? new Set()).add(geometry.id ?? String(n)));
    }
  });
  const borders = [...users].filter(([index, by]) => by.size > 1 && arcs[index] !== null)
    .sort(([a], [b]) => a - b)
    .map(([index]) => encodePath(arcs[index]!, false));
  return { land: land.filter(Boolean).join(""), borders: borders.filter(Boolean).join("") };
}

/** The generated module's text. */
export function renderModule(outline: { land: string; borders: string }): string {
  return `// Generated by \`deno run -A api/dashboard/build_us_outline.ts\` from us-atlas@3.0.1 states-10m.json
// (U.S. Census Bureau 2017 cartographic boundaries; ISC). Do not edit.
/**
 * The dashboard map's outline in the 975 x 610 viewport of \`projection.ts\`: the land of the 50 states and DC
 * (Alaska and Hawaii in the lower-left insets) and the borders between states, as SVG path data.
 * @module
 */

/** The land, one closed subpath per ring. */
export const US_LAND_PATH =
  "${outline.land}";

/** Borders between states, one open subpath per shared arc. */
export const US_BORDERS_PATH =
  "${outline.borders}";
`;
}

async function main(args: string[]): Promise<void> {
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : new URL("./us_outline.ts", import.meta.url).pathname;
  if (!out) throw new TypeError(`Cannot write the outline: expected a path after "--out"`);
  const outline = buildOutline(states as unknown as Topology);
  await Deno.writeTextFile(out, renderModule(outline));
  console.log(
    `wrote ${out}: land ${outline.land.length} characters, borders ${outline.borders.length} characters`,
  );
}

if (import.meta.main) await main(Deno.args);
