/**
 * The text `deno task verify` prints: per validator whether its report re-derives, then each
 * disagreement, miner by miner, with its reason.
 * @module
 */
import type { AuditVerdict } from "../../shared/audit/audit.ts";

/** The lines for one epoch's verdicts. */
export function formatVerdicts(epochId: string, verdicts: readonly AuditVerdict[], mode: string): string[] {
  const lines = [
    `epoch ${epochId}: ${verdicts.length} validator${verdicts.length === 1 ? "" : "s"}; ${mode}`,
  ];
  for (const v of verdicts) {
    const miners = v.report?.miners.length ?? 0;
    const ranked = v.report?.miners.filter((m) => m.rank !== null).length ?? 0;
    lines.push(
      v.ok
        ? `  OK    ${v.validator} re-derives: ${miners} miners, ${ranked} ranked, weights and u16 vector equal`
        : `  FAIL  ${v.validator}: ${v.disagreements.length} disagreement${
          v.disagreements.length === 1 ? "" : "s"
        }`,
    );
    for (const d of v.disagreements) {
      lines.push(`          ${d.miner ? `miner ${d.miner}` : "report"}: ${d.reason}`);
    }
    for (const note of v.notes) lines.push(`          note: ${note}`);
  }
  return lines;
}
