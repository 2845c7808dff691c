/** @jsxImportSource hono/jsx */
/**
 * How the dashboard writes numbers, times and hotkeys, shared by its panels. Pure.
 * @module
 */
/** `1234567` → `1,234,567`. */
export const number = (n: number) => n.toLocaleString("en-US");
/** A fraction as a percentage: `0.1234` → `12.3 %`. */
export const percent = (f: number, digits = 1) => `${(f * 100).toFixed(digits)} %`;
/** `2025-10-01T16:00:00.000Z` → `2025-10-01 16:00 UTC`. */
export const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
/** `2025-10-01T16-00-00` → `10-01 16:00`, for chart axes. */
export const shortEpoch = (id: string) => `${id.slice(5, 10)} ${id.slice(11, 13)}:${id.slice(14, 16)}`;
/** `5Grwva…utQY`: enough to tell miners apart; the full hotkey is in the title. */
export const shortKey = (hotkey: string) => `${hotkey.slice(0, 6)}…${hotkey.slice(-4)}`;

/** A shortened hotkey, the full one in its title. */
export function ShortKey(props: { address: string }) {
  return <code title={props.address}>{shortKey(props.address)}</code>;
}
