/**
 * How closely validators agree on weights, from their published reports: each report's weights (the burn
 * under "owner") normalised to sum 1, as the chain normalises them, and the agreement of two vectors as
 * 1 − half their L1 distance (1 = identical, 0 = disjoint). A set of validators agrees as much as its
 * least-agreeing pair. Pure.
 * @module
 */
import type { ValidationReport } from "./schemas/report.ts";

/** Normalised weights (0..1) of a report, the burn included under "owner". */
export function normalisedWeights(
  report: Pick<ValidationReport, "weights" | "burn">,
): Record<string, number> {
  const raw: Record<string, number> = { ...report.weights };
  if (report.burn && report.burn.weight > 0) raw.owner = report.burn.weight;
  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, total === 0 ? 0 : v / total]));
}

/** 1 − half the L1 distance between two normalised weight vectors (1 = identical). */
export function weightAgreement(a: Record<string, number>, b: Record<string, number>): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let distance = 0;
  for (const k of keys) distance += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return 1 - distance / 2;
}

/** The smallest agreement over every pair of `vectors`; null with fewer than two. */
export function minPairAgreement(vectors: readonly Record<string, number>[]): number | null {
  if (vectors.length < 2) return null;
  let min = 1;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) min = Math.min(min, weightAgreement(vectors[i], vectors[j]));
  }
  return min;
}
