/**
 * The map of assigned ZIP codes as inline SVG: the committed US outline (`us_outline.ts`) and one dot per
 * ZIP at its coordinates, placed with the same projection (`projection.ts`), so dots and outline agree.
 * ZIPs without coordinates, or off the map (territories), are left out and counted in a caption. Pure.
 * @module
 */
import { MAP_SIZE, projectUsa } from "./projection.ts";
import { escapeXml, px, svgOpen } from "./svg.ts";
import { US_BORDERS_PATH, US_LAND_PATH } from "./us_outline.ts";

/** One ZIP to draw. */
export interface MapPoint {
  zipcode: string;
  /** Shown on hover, e.g. "15213 Pittsburgh, PA: 480 expected". */
  label: string;
  latitude: number | null;
  longitude: number | null;
}

/** The map with a dot per placeable point, and how many points could not be placed. */
export function usMap(input: {
  title: string;
  points: readonly MapPoint[];
  emptyMessage: string;
}): { svg: string; unplaced: number } {
  const { width, height } = MAP_SIZE;
  let unplaced = 0;
  const dots = input.points.map((p) => {
    const at = p.latitude === null || p.longitude === null ? null : projectUsa(p.longitude, p.latitude);
    if (!at) {
      unplaced++;
      return "";
    }
    return `<circle class="zip-dot" data-zip="${escapeXml(p.zipcode)}" cx="${px(at[0])}" cy="${
      px(at[1])
    }" r="7"><title>${escapeXml(p.label)}</title></circle>`;
  }).join("");
  const empty = input.points.length === 0
    ? `<text class="no-data-text" x="${width / 2}" y="${height / 2}" text-anchor="middle">${
      escapeXml(input.emptyMessage)
    }</text>`
    : "";
  const svg = `${
    svgOpen(width, height, input.title, "us-map")
  }<path class="land" d="${US_LAND_PATH}"/><path class="borders" d="${US_BORDERS_PATH}"/>${dots}${empty}</svg>`;
  return { svg, unplaced };
}
