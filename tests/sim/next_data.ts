/**
 * Serializing page data the way Next.js embeds it: JSON inside `<script id="__NEXT_DATA__">` with `<`, `>`,
 * `&` and every non-ASCII character written as `\uXXXX`, so remarks containing `</script>` cannot end the
 * element early. Numbers the site prints as floats (`350000.0`) are wrapped in `JsonFloat`.
 * @module
 */

// A control character cannot appear unescaped in JSON text, so the marker never collides with data.
const FLOAT_MARK = "\u0001f";
const FLOAT_PATTERN = /"\\u0001f(-?[0-9.e+-]+)"/g;

/** A number serialized with a decimal point even when whole (Python-style `3.0`). */
export class JsonFloat {
  constructor(readonly value: number) {}
  toJSON(): string {
    return FLOAT_MARK + String(this.value);
  }
}

/** Wraps a number as a float for serialization; null stays null. */
export function asFloat(value: number | null): JsonFloat | null {
  return value === null ? null : new JsonFloat(value);
}

/** JSON text with float markers expanded (`3` → `3.0`); no HTML escaping. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(FLOAT_PATTERN, (_match, number: string) => {
    return /[.e]/.test(number) ? number : `${number}.0`;
  });
}

/** Escapes JSON text for a script element: `<`, `>`, `&`, U+2028/9 and all non-ASCII become `\uXXXX`. */
export function escapeForScript(json: string): string {
  return json.replace(
    /[<>&\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `toJsonText` then `escapeForScript`: the exact text placed inside `__NEXT_DATA__`. */
export function serializeNextData(value: unknown): string {
  return escapeForScript(toJsonText(value));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
