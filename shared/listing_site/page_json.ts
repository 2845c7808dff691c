/**
 * Reading the JSON a listing-site page embeds (listing-site-anatomy §2): the text of a
 * `<script id="…">` element, parsed, plus accessors that read untrusted JSON without trusting its types.
 * Next.js writes `<`, `>` and `&` inside the script as `\u003c` etc., so the first `</script` ends it and
 * the text is used as-is (HTML-unescaping it would corrupt strings).
 * @module
 */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** A page that is not the data it should be: a missing script, malformed JSON or an unexpected shape. */
export class PageParseError extends Error {
  override name = "PageParseError";
}

const SCRIPT_CLOSE = /<\/script\s*>/gi;

// `\sid` (not `\bid`) so that `data-id="…"` does not count; the lookahead ends an unquoted id.
function scriptOpener(id: string): RegExp {
  const literal = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`<script\\b[^>]*?\\sid\\s*=\\s*(["']?)${literal}\\1(?=[\\s/>])[^>]*>`, "i");
}

/** The raw text of `<script id="{id}">` (any attribute order or quoting), or null when there is none. */
export function scriptText(html: string, id: string): string | null {
  const open = scriptOpener(id).exec(html);
  if (!open) return null;
  const start = open.index + open[0].length;
  SCRIPT_CLOSE.lastIndex = start;
  const close = SCRIPT_CLOSE.exec(html);
  return html.slice(start, close ? close.index : html.length);
}

/** Parses JSON text; `what` names the source in the error. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PageParseError(`Cannot parse ${what}: expected JSON (${(error as Error).message})`);
  }
}

/** The parsed JSON object of `<script id="{id}">`, or null when the page has no such script. */
export function readScriptJson(html: string, id: string, what: string): JsonObject | null {
  const text = scriptText(html, id);
  if (text === null) return null;
  const value = parseJson(text, what);
  if (!isObject(value)) throw new PageParseError(`Cannot parse ${what}: expected a JSON object`);
  return value;
}

/** The parsed `__NEXT_DATA__` of a page; throws a `PageParseError` naming `what` when it is missing. */
export function readNextData(html: string, what: string): JsonObject {
  const data = readScriptJson(html, "__NEXT_DATA__", what);
  if (!data) throw new PageParseError(`Cannot parse ${what}: expected a __NEXT_DATA__ script`);
  return data;
}

/** Whether a JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a dotted path through parsed JSON; undefined where it breaks. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as JsonObject)[key];
  }
  return current;
}

/** The object at `path`, or null. */
export function pickObject(value: unknown, path: string): JsonObject | null {
  const found = pick(value, path);
  return isObject(found) ? found : null;
}

/** The objects of the array at `path` (other items skipped), or an empty list. */
export function pickObjects(value: unknown, path: string): JsonObject[] {
  const found = pick(value, path);
  return Array.isArray(found) ? found.filter(isObject) : [];
}

/** A finite number from a number or a numeric string ("3", "2.5"), else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** A non-empty trimmed string, else null. */
export function toText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  return text === "" ? null : text;
}
