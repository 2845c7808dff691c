/**
 * Classifying a listing-site response before parsing it (anatomy §3.2, §5.5). The bot wall
 * (PerimeterX/HUMAN behind CloudFront) answers with a 403 page or JSON challenge, an `x-px-blocked`
 * header, or a redirect to `/captchaPerimeterX/`. Normal pages embed the PX sensor script (`_pxAppId`)
 * too, so PX markers only mean a block on a page without `__NEXT_DATA__`, and the bare word "captcha"
 * means nothing.
 * @module
 */
import type { PageKind, PageResponse } from "../ports.ts";
import { isObject, scriptText } from "./page_json.ts";

/** What a response is. */
export type PageStatus = "ok" | "blocked" | "rate_limited" | "not_found" | "error";

/** A classification and the evidence for it (for logs and validator decisions). */
export interface PageVerdict {
  status: PageStatus;
  reason: string;
}

const CAPTCHA_PATH = /\/captchaPerimeterX\//i;
// Markers of the PX challenge page; the sensor on normal pages sets `_pxAppId` and `_pxJsClientSrc` too.
const PX_MARKERS =
  /px-captcha|window\._px(?:AppId|Uuid|Vid|HostUrl|JsClientSrc)\b|captcha\.px-cdn\.net|Press &(?:amp;)? Hold|<title>Access to this page has been denied/i;
// The PX "Advanced Blocking Response" is a few hundred bytes; real API answers are far larger.
const CHALLENGE_MAX_BYTES = 16_384;

function header(response: PageResponse, name: string): string | null {
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return null;
}

function isChallengeJson(body: string): boolean {
  const text = body.trimStart();
  if (!text.startsWith("{") || text.length > CHALLENGE_MAX_BYTES) return false;
  try {
    const value = JSON.parse(text);
    return isObject(value) && "appId" in value && ("blockScript" in value || "jsClientSrc" in value);
  } catch {
    return false; // not JSON: not a challenge descriptor
  }
}

function isChallengePage(body: string): boolean {
  return PX_MARKERS.test(body) && scriptText(body, "__NEXT_DATA__") === null;
}

function blockedReason(response: PageResponse): string | null {
  if (CAPTCHA_PATH.test(response.url)) return "redirected to the captcha page";
  if (CAPTCHA_PATH.test(header(response, "location") ?? "")) return "redirect to the captcha page";
  if (header(response, "x-px-blocked") !== null) return "x-px-blocked header";
  if (isChallengeJson(response.body)) return "PerimeterX challenge JSON";
  if (isChallengePage(response.body)) return "PerimeterX challenge page";
  if (response.status === 403) return "status 403";
  return null;
}

/**
 * Classifies a response. `kind` "detail" also treats a redirect off the detail page (to a search) as
 * not found, which is how the site answers an unknown zpid.
 */
export function classifyPage(response: PageResponse, kind?: PageKind): PageVerdict {
  const blocked = blockedReason(response);
  if (blocked) return { status: "blocked", reason: blocked };
  const { status } = response;
  if (status === 429) return { status: "rate_limited", reason: "status 429" };
  if (status === 404 || status === 410) return { status: "not_found", reason: `status ${status}` };
  if (kind === "detail") {
    const target = status >= 300 && status < 400 ? header(response, "location") : response.url;
    if (target && !/_zpid\b/.test(target)) {
      return { status: "not_found", reason: `redirected off the detail page to ${target}` };
    }
  }
  if (status < 200 || status >= 300) return { status: "error", reason: `status ${status}` };
  return { status: "ok", reason: `status ${status}` };
}
