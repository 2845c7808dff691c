/**
 * The DETAIL_ENRICHMENT knob: which listings a crawl also fetches the detail page of.
 * @module
 */

/** Which listings also get their detail page: all, none, or a stable share chosen by zpid. */
export type DetailMode = "all" | "none" | { percent: number };

/** FNV-1a of a string: a stable, well-spread 32-bit hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Whether a listing gets its detail page; a percentage picks the same zpids on every run. */
export function wantsDetail(zpid: string, mode: DetailMode): boolean {
  if (mode === "all" || mode === "none") return mode === "all";
  return fnv1a(zpid) % 10_000 < mode.percent * 100;
}

/** The DETAIL_ENRICHMENT knob ("all", "none", "25%") as a mode. */
export function parseDetailMode(text: string): DetailMode {
  if (text === "all" || text === "none") return text;
  const match = text.match(/^(\d{1,3})%$/);
  if (!match || Number(match[1]) > 100) {
    throw new TypeError(
      `Cannot parse detail mode "${text}": expected "all", "none" or a percentage like "25%"`,
    );
  }
  return { percent: Number(match[1]) };
}
