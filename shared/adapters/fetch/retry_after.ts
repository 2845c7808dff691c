/**
 * Reading a 429's `retry-after` header: delta-seconds or an HTTP date, relative to the injected clock.
 * @module
 */

/** Milliseconds `value` asks to wait, or null when the header is missing or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
