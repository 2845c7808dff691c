/**
 * Small distribution helpers over the project PRNG (the only randomness the simulator uses).
 * @module
 */
import type { Prng } from "../../shared/prng.ts";

/** A float in [low, high). */
export function drawUniform(prng: Prng, low: number, high: number): number {
  return low + (high - low) * prng.nextFloat();
}

/** An integer in [low, high] (both included). */
export function drawInt(prng: Prng, low: number, high: number): number {
  return low + prng.nextBelow(high - low + 1);
}

/** One item of a non-empty list. */
export function drawItem<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.nextBelow(items.length)];
}

/** A standard normal deviate (Box-Muller, one of the pair). */
export function drawNormal(prng: Prng): number {
  const u = 1 - prng.nextFloat(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.nextFloat());
}

/** A log-normal value with the given median and log-space spread. */
export function drawLogNormal(prng: Prng, median: number, sigma: number): number {
  return median * Math.exp(sigma * drawNormal(prng));
}

/** An item picked by weight from `[item, weight]` pairs. */
export function drawWeighted<T>(prng: Prng, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let point = prng.nextFloat() * total;
  for (const [item, weight] of choices) {
    point -= weight;
    if (point < 0) return item;
  }
  return choices[choices.length - 1][0];
}

/** `count` lowercase hex characters. */
export function drawHex(prng: Prng, count: number): string {
  let text = "";
  while (text.length < count) text += prng.nextU32().toString(16).padStart(8, "0");
  return text.slice(0, count);
}
