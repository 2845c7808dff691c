/**
 * Recalibration of a ZIP's expected listings from what validators actually found. Each epoch the estimate
 * moves toward the median of the validators' validated counts, by at most a fixed share of itself, so one
 * epoch of odd reports (a site outage, a lying validator in the minority) cannot swing it far.
 *
 * Rule: m = the lower median of the reports (sorted ascending, element floor((n - 1) / 2)); the step limit
 * is floor(current * maxStepPercent / 100), but at least 1 when maxStepPercent > 0 so small estimates can
 * move; the result is m clamped to [current - limit, current + limit]. No reports: the estimate stays.
 * Integers only, so every implementation agrees.
 * @module
 */

/** Options of `recalibrate`. */
export interface RecalibrateOptions {
  /** The most the estimate may move in one epoch, in whole percent of the current estimate (e.g. 25). */
  maxStepPercent: number;
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Cannot recalibrate with ${name} "${value}": expected a non-negative integer`);
  }
}

/** The lower median of non-negative integer `values`; throws on an empty list. */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Cannot take the median of no values: expected at least one");
  values.forEach((v, i) => assertCount(`report[${i}]`, v));
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The next expected-listings estimate of one ZIP from its current estimate and this epoch's reports. */
export function recalibrate(
  current: number,
  reports: readonly number[],
  options: RecalibrateOptions,
): number {
  assertCount("current", current);
  assertCount("maxStepPercent", options.maxStepPercent);
  if (reports.length === 0) return current;
  const median = lowerMedian(reports);
  if (options.maxStepPercent === 0) return current;
  const limit = Math.max(1, Math.floor((current * options.maxStepPercent) / 100));
  return Math.min(current + limit, Math.max(current - limit, median));
}

/**
 * The validated listing count a validator reports per ZIP from its miners' per-ZIP unique valid listings
 * (miners that scored above 0): the lower median over the miners that delivered the ZIP, never the
 * maximum, so one miner padding a ZIP (or a minority of colluders) cannot raise the ZIP's expected count
 * and cost every honest miner volume.
 */
export function validatedPerZip(
  perMiner: readonly Readonly<Record<string, number>>[],
): Record<string, number> {
  const byZip = new Map<string, number[]>();
  for (const counts of perMiner) {
    for (const [zip, n] of Object.entries(counts)) if (n > 0) byZip.set(zip, [...(byZip.get(zip) ?? []), n]);
  }
  return Object.fromEntries(
    [...byZip].sort(([a], [b]) => (a < b ? -1 : 1)).map(([zip, ns]) => [zip, lowerMedian(ns)]),
  );
}
