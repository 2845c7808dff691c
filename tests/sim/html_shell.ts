/**
 * The parts every rendered page shares: the HTML document frame, the `__NEXT_DATA__` script, the
 * PerimeterX sensor and the constants printed on pages.
 * @module
 */
import { escapeHtml, serializeNextData } from "./next_data.ts";

/** The site's origin as printed in absolute URLs (the miner swaps in its own base URL to fetch). */
export const DEFAULT_ORIGIN = "https://www.zillow.com";
/** Next.js build id carried by every page. */
export const BUILD_ID = "sim-build-2026";

/** Identifiers printed on a PerimeterX block. */
export interface BlockIds {
  uuid: string;
  vid: string;
}

/** PerimeterX app id and first-party path of the simulated site (synthetic, not the real site's). */
export const PX_APP_ID = "PXsim0001";
/** First-party path of the PerimeterX scripts. */
export const PX_PATH = "/sim0001";

/** The sensor script normal pages carry too, so "has PX markers" alone must not mean "blocked". */
export function pxSensor(): string {
  return `<script>window._pxAppId='${PX_APP_ID}';window._pxJsClientSrc='${PX_PATH}/init.js';` +
    `window._pxFirstPartyEnabled=true;(function(){var s=document.createElement("script");s.src="${PX_PATH}/init.js";` +
    `s.async=true;document.head.appendChild(s);})();</script>`;
}

/** The session bootstrap script; `isBot` is false even where blocks happen, as reported. */
export function userSessionScript(): string {
  return `<script>window.__USER_SESSION_INITIAL_STATE__={"isBot":false,"isLoggedIn":false,"guid":"00000000-0000-4000-8000-000000000000"};</script>`;
}

/** A complete HTML document. */
export function htmlDocument(title: string, head: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>${
    escapeHtml(title)
  }</title>${head}</head><body>${body}</body></html>`;
}

/** The `<script id="__NEXT_DATA__">` element holding `data`, escaped for a script element. */
export function nextDataScript(data: unknown): string {
  return `<script id="__NEXT_DATA__" type="application/json">${serializeNextData(data)}</script>`;
}
