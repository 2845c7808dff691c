/**
 * Spot checks: each sampled listing's detail page is fetched again from the source, through the same fetch
 * stack miners use (proxies, pacing, block handling), and compared with the miner's claim
 * (`shared/listing_site/compare.ts`). Outcomes:
 *
 * - valid / invalid: the page answered and the comparison decided;
 * - invalid: the listing is not on the site, confirmed by a second request (a vanished page once is luck);
 * - unknown: blocked, rate-limited, timed out, unparsable, or no claimed row to compare. Unknown never
 *   counts against a miner, and other validators' evidence may settle it (`shared/agreement.ts`).
 * @module
 */
import type { EvidenceEntry } from "../shared/agreement.ts";
import { classifyPage } from "../shared/listing_site/blocks.ts";
import { compareListing } from "../shared/listing_site/compare.ts";
import { parseDetailPage } from "../shared/listing_site/detail_page.ts";
import { normalizeDetailProperty } from "../shared/listing_site/normalize.ts";
import { detailPageUrl } from "../shared/listing_site/urls.ts";
import type { PageFetcher } from "../shared/ports.ts";
import type { ListingRecord } from "../shared/schemas/listing.ts";

/** What a spot check needs. */
export interface SpotCheckDeps {
  fetcher: PageFetcher;
  siteUrl: string;
}

async function fetchDetail(deps: SpotCheckDeps, zpid: string) {
  const response = await deps.fetcher.fetch({ url: detailPageUrl(deps.siteUrl, zpid), kind: "detail" });
  return { response, verdict: classifyPage(response, "detail") };
}

/** Checks one sampled listing of `miner`. Never throws for what the site or the claim contains. */
export async function spotCheck(
  deps: SpotCheckDeps,
  miner: string,
  zpid: string,
  claim: ListingRecord | undefined,
  /** The server receipt (ISO) of the part holding the row: a row scraped after it is invalid. */
  receivedAt?: string,
): Promise<EvidenceEntry> {
  const entry = (outcome: EvidenceEntry["outcome"], reason: string): EvidenceEntry => ({
    miner,
    zpid,
    outcome,
    reason,
  });
  if (!claim) return entry("unknown", "claimed row not readable");
  try {
    let { response, verdict } = await fetchDetail(deps, zpid);
    if (verdict.status === "not_found") {
      ({ response, verdict } = await fetchDetail(deps, zpid));
      if (verdict.status === "not_found") return entry("invalid", "listing not found on the site (twice)");
    }
    if (verdict.status !== "ok") return entry("unknown", `${verdict.status}: ${verdict.reason}`);
    const property = parseDetailPage(response.body, zpid);
    if (!property) return entry("invalid", "the site shows no such listing");
    const result = compareListing(claim, normalizeDetailProperty(property), { notAfter: receivedAt });
    return entry(
      result.outcome,
      result.outcome === "valid" ? "matches the source" : result.reasons.join("; "),
    );
  } catch (error) {
    // A fetch that failed outright (network, timeout, every exit blocked) or a page that would not parse.
    if (!(error instanceof Error)) throw error;
    return entry(
      "unknown",
      error.name === "ScrapeBlockedError" ? "every exit is blocked" : error.message.slice(0, 200),
    );
  }
}
