/**
 * Validator behaviours for localnet (VALIDATOR_STRATEGY): production validators run "honest". The hostile
 * one judges like every validator but publishes malformed spot-check evidence (`null`, wrong types, an
 * unknown outcome) ahead of its real entries, so localnet shows the other validators drop the junk, still
 * count its well-formed votes, and finalise every epoch.
 * @module
 */
import { OUTPUT_FILES } from "../shared/s3_keys.ts";

/** A validator strategy's name. */
export type ValidatorStrategy = "honest" | "malformed_evidence";

type UploadFn = (key: string, bytes: Uint8Array, deadlineMs: number) => Promise<void>;

/** The entries the hostile validator puts before its real evidence. */
export const MALFORMED_EVIDENCE: readonly unknown[] = [
  null,
  "valid",
  [],
  { miner: 5, zpid: "1", outcome: "valid" },
  { miner: "not a hotkey", zpid: "x", outcome: "maybe" },
];

/** `upload` as `strategy` rewrites it. */
export function strategyUpload(strategy: ValidatorStrategy, upload: UploadFn): UploadFn {
  if (strategy === "honest") return upload;
  return (key, bytes, deadline) => {
    if (!key.endsWith(`/${OUTPUT_FILES.evidence}`)) return upload(key, bytes, deadline);
    const real = JSON.parse(new TextDecoder().decode(bytes)) as unknown[];
    const hostile = JSON.stringify([...MALFORMED_EVIDENCE, ...real]);
    return upload(key, new TextEncoder().encode(hostile), deadline);
  };
}
