/**
 * Integer fixed-point arithmetic for scores and shares. Validators on different machines must compute
 * identical weights, so nothing on the scoring path uses floating point: a value v in [0, 1] is held as
 * the integer round_down(v * SCALE), and every product or quotient rounds down explicitly.
 * @module
 */

/** One whole unit: 1.0 is `SCALE`. Parts per million keeps every product below 2^53 (1e6 * 1e6 * 1e3). */
export const SCALE = 1_000_000;

function assertFixed(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`Invalid fixed-point ${name}: "${v}" is not a non-negative safe integer`);
  }
}

/** floor(numerator / denominator * SCALE), clamped to [0, SCALE]; 0 when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number {
  assertFixed("numerator", numerator);
  assertFixed("denominator", denominator);
  if (denominator === 0) return 0;
  return Math.min(SCALE, Number((BigInt(numerator) * BigInt(SCALE)) / BigInt(denominator)));
}

/** floor(a * b / SCALE) for two fixed-point values. */
export function mul(a: number, b: number): number {
  assertFixed("a", a);
  assertFixed("b", b);
  return Number((BigInt(a) * BigInt(b)) / BigInt(SCALE));
}

/** floor(value * percent / 100) for an integer percent. */
export function percentOf(value: number, percent: number): number {
  assertFixed("value", value);
  assertFixed("percent", percent);
  return Number((BigInt(value) * BigInt(percent)) / 100n);
}

/**
 * Splits `total` integer units among `weights` in proportion, exactly: floors first, then the leftover
 * units go one each to the largest remainders, ties to the lower index. The parts always sum to `total`
 * (or are all 0 when every weight is 0).
 */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  assertFixed("total", total);
  weights.forEach((w, i) => assertFixed(`weight[${i}]`, w));
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const parts = weights.map((w) => (BigInt(total) * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (BigInt(total) * BigInt(w)) % sum }));
  let leftover = BigInt(total) - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of remainders) {
    if (leftover === 0n) break;
    parts[i] += 1n;
    leftover -= 1n;
  }
  return parts.map(Number);
}

/** Renders a fixed-point value as a decimal string with 6 places, for reports and logs. */
export function formatFixed(v: number): string {
  assertFixed("value", v);
  return `${Math.floor(v / SCALE)}.${String(v % SCALE).padStart(6, "0")}`;
}
