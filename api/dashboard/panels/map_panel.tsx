/** @jsxImportSource hono/jsx */
/**
 * The running epoch's assigned ZIP codes on the US map. Pure.
 * @module
 */
import { raw } from "hono/html";
import type { DashboardCurrent } from "../../../shared/schemas/dashboard.ts";
import { usMap } from "../svg_map.ts";
import { number } from "./format.tsx";

export function MapPanel(props: { current: DashboardCurrent }) {
  const { svg, unplaced } = usMap({
    title: `Assigned ZIP codes of epoch ${props.current.epoch.id}`,
    points: props.current.zipcodes.map((z) => ({
      zipcode: z.zipcode,
      label: `${z.zipcode} ${z.city}, ${z.state}: ${number(z.expectedListings)} expected`,
      latitude: z.latitude,
      longitude: z.longitude,
    })),
    emptyMessage: "No ZIP codes assigned",
  });
  return (
    <section class="panel" id="map">
      <h2>Where miners work</h2>
      {raw(svg)}
      {unplaced > 0 ? <p class="note">{unplaced} ZIP codes have no position on this map.</p> : ""}
    </section>
  );
}
