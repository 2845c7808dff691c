/**
 * Phase 2 for every miner of an epoch, so that no miner can hold up the others or the epoch:
 *
 * - miners are judged `JUDGE_CONCURRENCY` at a time (256 miners fit the window; one slow miner occupies
 *   one slot, never the queue);
 * - a miner's bad upload is a stored verdict (`judgeMiner` never throws for it);
 * - when this validator fails to judge a miner (S3 5xx, its disk, DuckDB, a bug, the gather deadline) the
 *   attempt is counted and retried on a later tick; after `JUDGE_ATTEMPTS` failures, or once the judging
 *   deadline (`validationEnd - JUDGE_DEADLINE_LEAD_SECONDS`) has come, the miner is stored as "not
 *   judged": no weight, never a cheat, and the epoch goes on to spot checks and finalisation.
 * @module
 */
import {
  type EpochFactsRecord,
  type JudgeDeps,
  judgeMiner,
  type MinerFindings,
  notJudgedFindings,
} from "./judge.ts";
import { openJudgeState } from "./judge_state.ts";

/** What `judgeAll` found: every miner's findings, or `pending` > 0 when some are still to be retried. */
export interface JudgeAllResult {
  findings: MinerFindings[];
  pending: number;
}

/** Failed attempts per `epochId/hotkey`, kept by the caller between ticks. */
export type AttemptCounts = Map<string, number>;

/** Judges every miner not yet stored; `deadlineMs` is the moment the unjudged become "not judged". */
export async function judgeAll(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  deadlineMs: number,
  attempts: AttemptCounts,
): Promise<JudgeAllResult> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  const faults = deps.metrics.counter(
    "zipmine_validator_judge_faults_total",
    "Failed attempts at judging a miner on the validator's side (retried)",
  );
  const notJudged = deps.metrics.counter(
    "zipmine_validator_not_judged_total",
    "Miners reported not judged (no weight), by cause",
  );
  const out: (MinerFindings | null)[] = new Array(facts.miners.length).fill(null);
  const store = async (miner: { hotkey: string; uid: number }, reason: string, cause: string) => {
    const findings = notJudgedFindings(miner, reason);
    await state.write(state.findingsName(miner.hotkey), findings);
    notJudged.inc({ cause });
    deps.log.warn("miner not judged", { epochId: facts.epochId, hotkey: miner.hotkey, reason });
    return findings;
  };
  const judgeOne = async (miner: { hotkey: string; uid: number }): Promise<MinerFindings | null> => {
    const stored = await state.read<MinerFindings>(state.findingsName(miner.hotkey));
    if (stored) return stored;
    if (deps.clock.now().getTime() >= deadlineMs) {
      return await store(miner, "the judging deadline passed", "deadline");
    }
    const id = `${facts.epochId}/${miner.hotkey}`;
    try {
      return await judgeMiner(deps, facts, miner);
    } catch (error) {
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      faults.inc();
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn("could not judge miner; will retry", { hotkey: miner.hotkey, attempt: n, error });
      if (n < deps.config.JUDGE_ATTEMPTS) return null;
      return await store(miner, `${n} attempts failed on this validator's side (last: ${message})`, "faults");
    }
  };
  let next = 0;
  const workers = Math.min(deps.config.JUDGE_CONCURRENCY, facts.miners.length);
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < facts.miners.length) {
      const i = next++;
      out[i] = await judgeOne(facts.miners[i]);
    }
  }));
  const findings = out.filter((f): f is MinerFindings => f !== null);
  return { findings, pending: out.length - findings.length };
}
