/** @jsxImportSource hono/jsx */
/**
 * The running epoch's assigned ZIP codes as a table. Pure.
 * @module
 */
import type { DashboardCurrent } from "../../../shared/schemas/dashboard.ts";
import { number } from "./format.tsx";

export function ZipTable(props: { current: DashboardCurrent }) {
  const zips = props.current.zipcodes;
  return (
    <section class="panel" id="zipcodes">
      <h2>Assigned ZIP codes ({zips.length})</h2>
      {zips.length === 0 ? <p class="empty">No ZIP codes assigned.</p> : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>ZIP</th>
                <th>Place</th>
                <th class="wide-only">County</th>
                <th class="wide-only">Tier</th>
                <th class="num">Expected</th>
              </tr>
            </thead>
            <tbody>
              {zips.map((z) => (
                <tr data-zip={z.zipcode}>
                  <td>
                    <code>{z.zipcode}</code>
                  </td>
                  <td>{z.city}, {z.state}</td>
                  <td class="wide-only">{z.county ?? "—"}</td>
                  <td class="wide-only">{z.marketTier.toLowerCase()}</td>
                  <td class="num">{number(z.expectedListings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
