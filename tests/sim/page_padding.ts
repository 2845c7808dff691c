/**
 * Realistic bulk for rendered pages: a design-system stylesheet, preload links and webpack-style chunk
 * scripts, as a real Next.js page carries, so scrapers meet page sizes in the hundreds of KB. The text
 * is drawn once from a fixed seed and reused, so every page stays deterministic.
 * @module
 */
import { createPrng, type Prng } from "../../shared/prng.ts";
import { drawHex, drawInt, drawItem } from "./random_draws.ts";

const PROPERTIES = [
  "display:flex",
  "display:block",
  "align-items:center",
  "justify-content:space-between",
  "position:relative",
  "overflow:hidden",
  "margin:0 auto",
  "padding:8px 16px",
  "font-size:14px",
  "line-height:1.5",
  "color:#2a2a33",
  "border-radius:4px",
  "background-color:#fff",
  "box-shadow:0 2px 4px rgba(0,0,0,.1)",
  "text-overflow:ellipsis",
  "white-space:nowrap",
  "cursor:pointer",
  "transition:opacity .2s ease-in-out",
];
const COMPONENTS = [
  "StyledPropertyCardDataWrapper",
  "StyledPropertyCardPhoto",
  "PropertyCardWrapper",
  "StyledSearchListWrapper",
  "SearchPageListContainer",
  "StyledPagination",
  "FilterButton",
  "MapOverlay",
  "StyledTabs",
  "Badge",
  "Flex",
  "Text",
  "ListItem",
  "Anchor",
  "ButtonGroup",
];
const WORDS = [
  "render",
  "state",
  "props",
  "effect",
  "memo",
  "ref",
  "ctx",
  "node",
  "item",
  "value",
  "key",
  "data",
];

function className(prng: Prng): string {
  return `${drawItem(prng, COMPONENTS)}-c11n-8-${drawInt(prng, 60, 110)}-${drawInt(prng, 0, 9)}__sc-${
    drawHex(prng, 6)
  }-0`;
}

function stylesheet(prng: Prng, bytes: number): string {
  const rules: string[] = [];
  let size = 0;
  while (size < bytes) {
    const declarations = prng.sample(PROPERTIES, 2 + prng.nextBelow(5)).join(";");
    const rule = `.${className(prng)}{${declarations}}`;
    rules.push(rule);
    size += rule.length;
  }
  return rules.join("");
}

function chunkScript(prng: Prng, bytes: number): string {
  const modules: string[] = [];
  let size = 0;
  while (size < bytes) {
    const id = drawInt(prng, 1000, 99999);
    const a = drawItem(prng, WORDS);
    const b = drawItem(prng, WORDS);
    const body =
      `function(e,t,n){"use strict";n.d(t,{Z:function(){return ${a}}});var r=n(${
        drawInt(prng, 100, 9999)
      }),` +
      `o=n.n(r);function ${a}(e){var t=e.${b},n=void 0===t?{}:t;return o().createElement("div",{className:"${
        className(prng)
      }","data-${b}":n.${a}},e.children)}}`;
    const module = `${id}:${body}`;
    modules.push(module);
    size += module.length;
  }
  return `(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[${drawInt(prng, 100, 999)}],{${
    modules.join(",")
  }}]);`;
}

function preloadLinks(prng: Prng, count: number): string {
  let links = "";
  for (let i = 0; i < count; i++) {
    links += `<link rel="preload" href="/_next/static/chunks/${drawHex(prng, 16)}.js" as="script"/>`;
  }
  return links;
}

/** Bulk for one page kind, split into what goes in <head> and what goes at the end of <body>. */
export interface PagePadding {
  head: string;
  body: string;
}

const cache = new Map<string, PagePadding>();

/** Padding of roughly `styleBytes` of CSS and `scriptBytes` of inline script for page kind `kind`. */
export function pagePadding(kind: string, styleBytes: number, scriptBytes: number): PagePadding {
  const key = `${kind}|${styleBytes}|${scriptBytes}`;
  let padding = cache.get(key);
  if (!padding) {
    const prng = createPrng(`page-padding|${key}`);
    const head = `${preloadLinks(prng, 40)}<style data-styled="active" data-styled-version="5.3.11">${
      stylesheet(prng, styleBytes)
    }</style>`;
    const chunks: string[] = [];
    for (let written = 0; written < scriptBytes; written += 40_000) {
      chunks.push(`<script>${chunkScript(prng, Math.min(40_000, scriptBytes - written))}</script>`);
    }
    padding = { head, body: chunks.join("") };
    cache.set(key, padding);
  }
  return padding;
}
