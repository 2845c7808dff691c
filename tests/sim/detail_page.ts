/**
 * The detail page (`/homedetails/{slug}/{zpid}_zpid/`) with its double-encoded `gdpClientCache`, and the
 * building page (`/b/…`) that lists the units a building card groups.
 * @module
 */
import { type DetailContext, detailProperty } from "./detail_property.ts";
import { realDetailProperty } from "./real_variants.ts";
import { BUILD_ID, htmlDocument, nextDataScript, pxSensor, userSessionScript } from "./html_shell.ts";
import type { SimListing } from "./inventory.ts";
import { buildingPath, detailPath, fullAddress } from "./listing_urls.ts";
import { escapeHtml, toJsonText } from "./next_data.ts";
import { pagePadding } from "./page_padding.ts";
import { formatPrice, homeStatusOf } from "./search_cards.ts";
import type { Building } from "./zip_profile.ts";
import type { ZipInfo } from "./zip_info.ts";

function cacheKey(operation: string, zpid: number): string {
  const form = { zpid, platform: "desktop", isDoubleScroll: true };
  if (operation === "ForSalePriorityQuery") {
    return `${operation}${
      JSON.stringify({
        zpid,
        platform: "DESKTOP_WEB",
        formType: "OPAQUE_CONTACT_FORM",
        contactFormRenderParameter: form,
        skipCFRD: false,
        ompPlatform: "web",
      })
    }`;
  }
  if (operation === "NotForSaleShopperPlatformFullRenderQuery") {
    return `${operation}${JSON.stringify({ zpid })}`;
  }
  return `${operation}${JSON.stringify({ zpid, contactFormRenderParameter: form })}`;
}

/** The `gdpClientCache` map before its second serialization; key names vary, as on the site. */
export function gdpClientCache(listing: SimListing, context: DetailContext): Record<string, unknown> {
  const zpid = Number(listing.zpid);
  const plain = detailProperty(listing, context);
  const property = context.variants ? realDetailProperty(plain) : plain;
  const onMarket = listing.status === "FOR_SALE" || listing.status === "CONTINGENT" ||
    listing.status === "PENDING";
  if (!onMarket) return { [cacheKey("NotForSaleShopperPlatformFullRenderQuery", zpid)]: { property } };
  if (listing.detailKeyStyle !== "VariantQuery") {
    return { [cacheKey(listing.detailKeyStyle, zpid)]: { property } };
  }
  // A partial VariantQuery entry first, then the full one: parsers must pick the richest match.
  const partial = {
    zpid,
    price: listing.price,
    homeStatus: homeStatusOf(listing),
    streetAddress: listing.streetAddress,
    zipcode: listing.zip,
  };
  return {
    [`VariantQuery${JSON.stringify({ zpid, altId: null })}`]: { property: partial },
    [cacheKey("ForSaleShopperPlatformFullRenderQuery", zpid)]: { property, odpPropertyModels: null },
  };
}

/** The detail page (`/homedetails/{slug}/{zpid}_zpid/`). */
export function renderDetailPage(listing: SimListing, context: DetailContext & { origin: string }): string {
  const zpid = Number(listing.zpid);
  const data = {
    props: {
      pageProps: {
        componentProps: {
          zpid,
          pageType: "hdp",
          gdpClientCache: toJsonText(gdpClientCache(listing, context)),
        },
      },
    },
    page: "/homedetails/[...slug]",
    query: {},
    buildId: BUILD_ID,
  };
  const padding = pagePadding("detail", 140_000, 120_000);
  const title = `${fullAddress(listing)} | Zillow`;
  const canonical = `<link rel="canonical" href="${context.origin}${detailPath(listing)}"/>`;
  const summary =
    `<div id="__next"><div class="ds-chip"><span data-testid="price">${formatPrice(listing.price)}</span>` +
    `<h1>${escapeHtml(fullAddress(listing))}</h1></div></div>`;
  return htmlDocument(
    title,
    `${canonical}${padding.head}`,
    `${summary}${nextDataScript(data)}${userSessionScript()}${pxSensor()}${padding.body}`,
  );
}

/** The building page (`/b/…`); units live at `componentProps.initialReduxState.gdp.building`. */
export function renderBuildingPage(
  building: Building,
  units: SimListing[],
  info: ZipInfo,
  origin: string,
): string {
  const sorted = [...units].sort((a, b) => a.price - b.price || (a.zpid < b.zpid ? -1 : 1));
  const data = {
    props: {
      pageProps: {
        componentProps: {
          initialReduxState: {
            gdp: {
              building: {
                buildingName: building.name,
                bdpUrl: buildingPath(building, info),
                address: {
                  streetAddress: building.streetLine,
                  city: info.city,
                  state: info.state,
                  zipcode: info.zip,
                },
                latitude: building.latitude,
                longitude: building.longitude,
                yearBuilt: building.yearBuilt,
                stories: building.stories,
                unitCount: sorted.length,
                ungroupedUnits: sorted.map((unit) => ({
                  zpid: unit.zpid,
                  price: unit.price,
                  unitNumber: unit.unit,
                  beds: unit.bedrooms,
                  baths: unit.bathrooms,
                  sqft: unit.livingArea,
                  homeStatus: homeStatusOf(unit),
                  hdpUrl: detailPath(unit),
                })),
              },
            },
          },
        },
      },
    },
    page: "/b/[...slug]",
    query: {},
    buildId: BUILD_ID,
  };
  const padding = pagePadding("building", 140_000, 60_000);
  const title = `${building.name} - ${building.streetLine}, ${info.city}, ${info.state} ${info.zip} | Zillow`;
  const canonical = `<link rel="canonical" href="${origin}${buildingPath(building, info)}"/>`;
  return htmlDocument(
    title,
    `${canonical}${padding.head}`,
    `<div id="__next"><h1>${escapeHtml(building.name)}</h1></div>${nextDataScript(data)}${padding.body}`,
  );
}
