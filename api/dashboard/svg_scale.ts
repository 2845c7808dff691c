/**
 * Scales and axis ticks for the dashboard's charts. Pure.
 * @module
 */

/** A linear map of `domain` onto `range`; a zero-width domain maps everything to the range's middle. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d0 === d1) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/**
 * Round tick values from 0 or below `min` up to at least `max`: steps of 1, 2 or 5 times a power of ten,
 * about `count` of them. With `integer`, steps are at least 1 (ranks, counts).
 */
export function niceTicks(min: number, max: number, count: number, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || count < 1) {
    throw new RangeError(`Cannot make ticks for ${min}..${max} with count ${count}`);
  }
  if (min > max) [min, max] = [max, min];
  if (min === max) max = min + 1;
  // d3's rule: the 1-2-5 step nearest (geometrically) to the rough step.
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const error = rough / power;
  const multiple = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1;
  const step = Math.max(integer ? 1 : 0, multiple * power);
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < max + step; v += step) {
    // Multiples of a decimal step drift (0.1 * 3); rounding to the step's precision keeps labels clean.
    ticks.push(Number(v.toFixed(Math.max(0, -Math.floor(Math.log10(step))))));
    if (v >= max) break;
  }
  return ticks;
}

/** `n` equal bands across `range`: each band's centre and the usable width (band minus padding). */
export function bandScale(
  n: number,
  range: readonly [number, number],
  padding = 0.2,
): { center: (index: number) => number; width: number; step: number } {
  const step = n === 0 ? 0 : (range[1] - range[0]) / n;
  return { center: (i) => range[0] + step * (i + 0.5), width: step * (1 - padding), step };
}

/** Every `k`-th index so labels of about `labelWidth` pixels do not overlap in bands of `step` pixels. */
export function labelStride(step: number, labelWidth: number): number {
  return step <= 0 ? 1 : Math.max(1, Math.ceil(labelWidth / step));
}
