/**
 * Validator behaviours for localnet (VALIDATOR_STRATEGY): production validators run "honest". The hostile
 * ones judge like every validator but rewrite the spot-check evidence they publish:
 *
 * - malformed_evidence puts malformed entries (`null`, wrong types, an unknown outcome) ahead of its real
 *   ones, so localnet shows the other validators drop the junk, still count its well-formed votes, and
 *   finalise every epoch;
 * - lying publishes every conclusive outcome flipped (valid on the invalid checks, invalid on the valid
 *   ones; unknowns stay unknown), so localnet shows one validator can neither rescue a fabricator nor
 *   zero an honest miner.
 * @module
 */
import { OUTPUT_FILES } from "../shared/s3_keys.ts";

/** Every validator strategy's name: the values of VALIDATOR_STRATEGY (validator/config.ts). */
export const VALIDATOR_STRATEGIES = ["honest", "malformed_evidence", "lying"] as const;

/** A validator strategy's name. */
export type ValidatorStrategy = typeof VALIDATOR_STRATEGIES[number];

type UploadFn = (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;

/** The entries the hostile validator puts before its real evidence. */
export const MALFORMED_EVIDENCE: readonly unknown[] = [
  null,
  "valid",
  [],
  { miner: 5, zpid: "1", outcome: "valid" },
  { miner: "not a hotkey", zpid: "x", outcome: "maybe" },
];

/** The lying validator's vote on one of its real entries: the conclusive outcomes flipped. */
export function lie(entry: { outcome: string; reason?: string }): unknown {
  if (entry.outcome === "valid") {
    return { ...entry, outcome: "invalid", reason: "page contradicts the claim" };
  }
  if (entry.outcome !== "invalid") return entry;
  const { reason: _, ...rest } = entry;
  return { ...rest, outcome: "valid" };
}

const REWRITES: Record<Exclude<ValidatorStrategy, "honest">, (real: { outcome: string }[]) => unknown[]> = {
  malformed_evidence: (real) => [...MALFORMED_EVIDENCE, ...real],
  lying: (real) => real.map(lie),
};

/** `upload` as `strategy` rewrites it. */
export function strategyUpload(strategy: ValidatorStrategy, upload: UploadFn): UploadFn {
  if (strategy === "honest") return upload;
  return (key, bytes, deadline) => {
    if (!key.endsWith(`/${OUTPUT_FILES.evidence}`)) return upload(key, bytes, deadline);
    const real = JSON.parse(new TextDecoder().decode(bytes)) as { outcome: string }[];
    const hostile = JSON.stringify(REWRITES[strategy](real));
    return upload(key, new TextEncoder().encode(hostile), deadline);
  };
}
