/**
 * The building page (`/b/…`) behind a building card (anatomy §1.7): a card with a pseudo id such as
 * `42.35364--71.13968` groups several units, which this page lists with their numeric zpids at
 * `componentProps.initialReduxState.gdp.building.ungroupedUnits`.
 * @module
 */
import { type JsonObject, PageParseError, pickObject, pickObjects, readNextData } from "./page_json.ts";

/** A building and its units, as sent. */
export interface BuildingPage {
  /** The building object without its units: name, address, latitude, longitude, … */
  building: JsonObject;
  units: JsonObject[];
}

/** Parses a building page; throws a `PageParseError` when it holds no building. */
export function parseBuildingPage(html: string): BuildingPage {
  const data = readNextData(html, "building page");
  const building = pickObject(data, "props.pageProps.componentProps.initialReduxState.gdp.building");
  if (!building) {
    throw new PageParseError(
      `Cannot parse building page: expected componentProps.initialReduxState.gdp.building (page "${
        String(data.page)
      }")`,
    );
  }
  const { ungroupedUnits: _, ...facts } = building;
  return { building: facts, units: pickObjects(building, "ungroupedUnits") };
}
