/**
 * The bits every SVG builder of the dashboard shares: XML escaping, number formatting for axes and the
 * readable "no data" picture. Builders return markup strings; anything that came from data goes through
 * `escapeXml`. Pure.
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for XML content and quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/** A short number for an axis: 250 → "250"; 1500 → "1.5k"; 12000 → "12k"; 2500000 → "2.5M". */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(2));
}

/** Rounds a coordinate to one decimal: enough for a screen, and short markup. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The opening tag of a chart: a scalable, labelled image. */
export function svgOpen(width: number, height: number, title: string, className: string): string {
  return `<svg class="${className}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${
    escapeXml(title)
  }" xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(title)}</title>`;
}

/** A chart-sized picture saying why there is nothing to draw. */
export function noData(width: number, height: number, title: string, message: string): string {
  return `${svgOpen(width, height, title, "chart no-data")}<rect class="frame" x="0.5" y="0.5" width="${
    width - 1
  }" height="${height - 1}" rx="6"/><text class="no-data-text" x="${width / 2}" y="${
    height / 2
  }" text-anchor="middle" dominant-baseline="middle">${escapeXml(message)}</text></svg>`;
}
