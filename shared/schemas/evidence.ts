/**
 * A validator's published spot-check evidence (`validators/{hotkey}/epoch={N}/evidence/spot_checks.json`):
 * a list of outcomes, one per sampled listing. Other validators' evidence is untrusted input: it is parsed
 * entry by entry, so one malformed entry (`null`, a wrong type, an unknown outcome) is dropped and counted
 * while the rest still vote, and a file that is not a list, or absurdly long, is dropped whole.
 * @module
 */
import { z } from "zod";
import { HotkeySchema } from "./common.ts";
import { SpotCheckOutcomeSchema } from "./report.ts";

/** One published spot check. */
export const EvidenceEntrySchema = z.object({
  miner: HotkeySchema,
  zpid: z.string().regex(/^\d{1,12}$/),
  outcome: SpotCheckOutcomeSchema,
  reason: z.string().max(2000).optional(),
});
export type EvidenceEntrySchemaType = z.infer<typeof EvidenceEntrySchema>;

/** More entries than this are not a sample (256 miners x SPOT_CHECK_COUNT is far below). */
export const MAX_EVIDENCE_ENTRIES = 200_000;

/** Largest evidence file read. */
export const MAX_EVIDENCE_BYTES = 32 * 1024 * 1024;

/** The well-formed entries of `json`, how many were dropped, and why the whole file was, if it was. */
export function parseEvidence(
  json: unknown,
): { entries: EvidenceEntrySchemaType[]; dropped: number; problem: string | null } {
  if (!Array.isArray(json)) return { entries: [], dropped: 0, problem: "evidence is not a list" };
  if (json.length > MAX_EVIDENCE_ENTRIES) {
    return { entries: [], dropped: json.length, problem: `over ${MAX_EVIDENCE_ENTRIES} entries` };
  }
  const entries: EvidenceEntrySchemaType[] = [];
  for (const item of json) {
    const parsed = EvidenceEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
  }
  return { entries, dropped: json.length - entries.length, problem: null };
}
