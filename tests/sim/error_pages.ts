/**
 * Pages that carry no listing data: the Next.js 404 page, the 429 page, and the PerimeterX block in its
 * HTML ("Press & Hold") and JSON ("Advanced Blocking Response") forms.
 * @module
 */
import { type BlockIds, BUILD_ID, htmlDocument, nextDataScript, PX_APP_ID, PX_PATH } from "./html_shell.ts";
import { pagePadding } from "./page_padding.ts";

/** The 404 page: a Next.js error page whose `__NEXT_DATA__` has no search state and no gdpClientCache. */
export function renderNotFoundPage(): string {
  const data = { props: { pageProps: { statusCode: 404 } }, page: "/_error", query: {}, buildId: BUILD_ID };
  const padding = pagePadding("error", 20_000, 10_000);
  return htmlDocument(
    "Page Not Found | Zillow",
    padding.head,
    `<div id="__next"><h1>We can't find the page you're looking for.</h1></div>${
      nextDataScript(data)
    }${padding.body}`,
  );
}

/** The PerimeterX "Press & Hold" block page served with 403 and `x-px-blocked: 1`. */
export function renderBlockPage(ids: BlockIds): string {
  // Real block pages weigh about 6 KB, mostly inline CSS.
  const rules = Array.from(
    { length: 150 },
    (_, i) => `.px-ui-${i}{margin:${i % 7}px auto;opacity:.${i % 9 + 1}}`,
  );
  const style = "body{margin:0;font-family:Arial,sans-serif}.px-container{max-width:560px;margin:80px auto;" +
    "text-align:center}.px-captcha-error-header{font-size:28px;color:#2a2a33}" + rules.join("");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="description" content="px-captcha"><title>Access to this page has been denied</title><style>${style}</style></head><body>` +
    `<script>window._pxVid = '${ids.vid}';window._pxUuid = '${ids.uuid}';window._pxAppId = '${PX_APP_ID}';` +
    `window._pxHostUrl = '${PX_PATH}/xhr';window._pxJsClientSrc = '${PX_PATH}/init.js';window._pxFirstPartyEnabled = true;</script>` +
    `<div class="px-container"><div class="px-captcha-error-header">Please verify you're a human to continue</div>` +
    `<div id="px-captcha"></div><p class="px-captcha-error-message">Press &amp; Hold to confirm you are a human (and not a bot).</p>` +
    `<div class="px-captcha-refid">Reference ID ${ids.uuid}</div></div>` +
    `<script src="${PX_PATH}/captcha/captcha.js?a=c&amp;u=${ids.uuid}&amp;v=${ids.vid}&amp;m=0"></script></body></html>`;
}

/** The PerimeterX "Advanced Blocking Response" JSON a blocked API call gets (status 403). */
export function renderBlockJson(ids: BlockIds): string {
  return JSON.stringify({
    appId: PX_APP_ID,
    jsClientSrc: `${PX_PATH}/init.js`,
    firstPartyEnabled: true,
    vid: ids.vid,
    uuid: ids.uuid,
    hostUrl: `${PX_PATH}/xhr`,
    blockScript: `${PX_PATH}/captcha/captcha.js?a=c&u=${ids.uuid}&v=${ids.vid}&m=0`,
  });
}

/** The short 429 page. */
export function renderRateLimitPage(): string {
  return htmlDocument(
    "Too Many Requests",
    "",
    "<h1>Too Many Requests</h1><p>Please slow down and try again later.</p>",
  );
}
