/**
 * Judging epoch N during epoch N+1, in resumable phases, each in its own file (this one is the entry and
 * holds phase 1; the records they store are in `judge_records.ts`):
 *
 *  1. facts      the assignment, the revealed sampling seed (checked against its commitment), the API's
 *                receipts, the metagraph's miners and the owner's uid;
 *  2. findings   per miner: gather the upload, integrity (`shared/integrity.ts`), data checks (DuckDB);
 *  3. evidence   the deterministic sample per miner (`shared/sampling.ts`), re-fetched and compared;
 *                published to `validators/{hotkey}/epoch={N}/evidence/spot_checks.json`;
 *  4. finalise   (at a fixed moment) merge every validator's evidence (`shared/agreement.ts`), score
 *                (`shared/scoring.ts`), store and publish the report, the metadata and the winners' rows,
 *                and report per-ZIP validated counts to the API.
 *
 * Phase 2 is `judge_miner.ts`, phase 3 `judge_evidence.ts`, phase 4 `judge_finalize.ts`.
 * @module
 */
import { verifySeed } from "../shared/epoch_secrets.ts";
import { isPartKey } from "../shared/parts.ts";
import { type EpochFactsRecord, type JudgeDeps } from "./judge_records.ts";
import { openJudgeState } from "./judge_state.ts";
import { assignmentAndSeed } from "./sealed_plans.ts";

export type { EpochFactsRecord, JudgeDeps, MinerFindings } from "./judge_records.ts";
export { notJudgedFindings } from "./judge_records.ts";
export { judgeMiner } from "./judge_miner.ts";
export { runSpotChecks, unknownShare } from "./judge_evidence.ts";
export { agreementRatio, copiesOf, finalizeEpoch } from "./judge_finalize.ts";

/** Phase 1. */
export async function collectFacts(deps: JudgeDeps, epochId: string): Promise<EpochFactsRecord> {
  const state = openJudgeState(deps.stateDir, epochId);
  const stored = await state.read<EpochFactsRecord>("facts.json");
  if (stored) return stored;
  const { assignment, seed } = await assignmentAndSeed(deps.api, deps.sealed, epochId, deps.log);
  if (!verifySeed(seed, assignment.seedCommitment)) {
    throw new Error(`The API's sampling seed for ${epochId} does not match its published commitment`);
  }
  const { submissions, history } = await deps.api.submissions(epochId);
  const metagraph = await deps.chain.metagraph(deps.config.NETUID);
  const owner = await deps.chain.ownerHotkey(deps.config.NETUID);
  const facts: EpochFactsRecord = {
    epochId,
    assignment,
    seed,
    receipts: submissions,
    partReceipts: history.filter((r) => isPartKey(r.manifestKey)),
    miners: metagraph.neurons.filter((n) => !n.validatorPermit).map((n) => ({ hotkey: n.hotkey, uid: n.uid }))
      .sort((a, b) => a.uid - b.uid),
    validators: metagraph.neurons.filter((n) => n.validatorPermit).map((n) => n.hotkey).sort(),
    validatorStakes: Object.fromEntries(
      metagraph.neurons.filter((n) => n.validatorPermit).map((n) => [n.hotkey, n.stake]),
    ),
    ownerUid: metagraph.neurons.find((n) => n.hotkey === owner)?.uid ?? null,
  };
  await state.write("facts.json", facts);
  return facts;
}
