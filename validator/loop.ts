/**
 * The validator's clock-driven loop. Every tick it advances the judging of the epoch that just ended
 * (phases in `judge.ts`, each stored, so a restart resumes), finalises it once the fixed moment
 * `validationEnd - FINALIZE_LEAD_SECONDS` has come (every validator finalises at the same moment, after
 * the evidence deadline), and once per tempo sets the weights that are due. No miner can stall it: a miner
 * this validator cannot judge is retried and then reported "not judged" (`judge_all.ts`), and a finalised
 * epoch's downloads are deleted.
 * @module
 */
import { ApiClientError } from "../shared/api_client.ts";
import { epochAt, epochByIndex } from "../shared/epoch.ts";
import type { EvidenceEntry } from "../shared/agreement.ts";
import {
  collectFacts,
  type EpochFactsRecord,
  finalizeEpoch,
  type JudgeDeps,
  runSpotChecks,
} from "./judge.ts";
import { type AttemptCounts, judgeAll } from "./judge_all.ts";
import { openJudgeState } from "./judge_state.ts";
import { setDueWeights, type WeightsDeps } from "./weights.ts";
import { hasRevealScheduler } from "../shared/adapters/chain/subtensor_chain.ts";
import { type ValidationReport, ValidationReportSchema } from "../shared/schemas/report.ts";

/** What the loop needs. */
export interface LoopDeps {
  judge: JudgeDeps;
  weights: Omit<WeightsDeps, "reportOf">;
}

/** The loop's state between ticks. */
export function createValidatorLoop(deps: LoopDeps) {
  const { config, log, metrics } = deps.judge;
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };
  const duration = metrics.histogram("zipmine_validator_judge_seconds", "Time to judge an epoch", [
    10,
    30,
    60,
    300,
    900,
    3600,
  ]);
  let nextWeightsAt = 0;
  const unplanned = new Set<string>();
  const attempts: AttemptCounts = new Map();

  const reportOf = (epochId: string) => storedReport(deps, epochId);

  /** Judges (or finishes judging) the epoch before the current one; returns its id, or null. */
  async function judgePrevious(nowMs: number): Promise<string | null> {
    const current = epochAt(nowMs, epochOptions);
    if (current.index < 1) return null;
    const previous = epochByIndex(current.index - 1, epochOptions);
    if (unplanned.has(previous.id)) return null;
    const started = performance.now();
    let facts;
    try {
      facts = await collectFacts(deps.judge, previous.id);
    } catch (error) {
      // An epoch the API never planned (e.g. before the network started) has nothing to judge.
      if (!(error instanceof ApiClientError && error.status === 404)) throw error;
      unplanned.add(previous.id);
      log.info("epoch was never planned; nothing to judge", { epochId: previous.id });
      return null;
    }
    const finalizeAt = previous.validationEnd - config.FINALIZE_LEAD_SECONDS * 1000;
    const judgeBy = previous.validationEnd - config.JUDGE_DEADLINE_LEAD_SECONDS * 1000;
    const { findings, pending } = await judgeAll(deps.judge, facts, judgeBy, attempts);
    if (pending > 0) return previous.id; // retried next tick, until the judging deadline
    const evidence = await ownEvidence(deps, facts, findings, nowMs >= finalizeAt);
    if (nowMs >= finalizeAt) {
      const already = await reportOf(previous.id);
      const report = await finalizeEpoch(deps.judge, facts, findings, evidence);
      await removeDownloads(deps, previous.id);
      if (!already) {
        duration.observe((performance.now() - started) / 1000);
        log.info("epoch finalised", {
          epochId: previous.id,
          miners: report.miners.length,
          winners: report.miners.filter((m) => m.rank !== null).slice(0, 3).map((m) => m.hotkey),
        });
      }
    }
    return previous.id;
  }

  /** Advances the work due at `nowMs`: judging first, then reveals and the weights when a tempo has passed. */
  async function tick(nowMs: number): Promise<string | null> {
    const judged = await judgePrevious(nowMs);
    await revealDue(deps);
    if (nowMs >= nextWeightsAt) {
      const result = await setDueWeights({ ...deps.weights, reportOf }, nowMs);
      // After a success wait a tempo; when nothing was due or the chain refused, retry a little later.
      const tempoMs = config.TEMPO_SECONDS * 1000;
      nextWeightsAt = nowMs + (result?.ok ? tempoMs : Math.min(tempoMs, 60_000));
    }
    return judged;
  }

  return { tick, reportOf };
}

/** The stored report of an epoch, parsed with its schema; a corrupt one is logged and never used. */
async function storedReport(deps: LoopDeps, epochId: string): Promise<ValidationReport | null> {
  const stored = await openJudgeState(deps.judge.stateDir, epochId).read<unknown>("report.json");
  if (stored === null) return null;
  const parsed = ValidationReportSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  deps.judge.log.error("stored report is malformed; not used", {
    epochId,
    issue: parsed.error.issues[0]?.message,
  });
  return null;
}

/**
 * Own spot checks; when they keep failing at the finalisation moment, whatever evidence was stored (or
 * none: the others' evidence still votes) so the epoch is finalised anyway.
 */
async function ownEvidence(
  deps: LoopDeps,
  facts: EpochFactsRecord,
  findings: Parameters<typeof runSpotChecks>[2],
  finalizing: boolean,
): Promise<EvidenceEntry[]> {
  try {
    return await runSpotChecks(deps.judge, facts, findings);
  } catch (error) {
    if (!finalizing || !(error instanceof Error)) throw error;
    deps.judge.log.warn("spot checks failed at the finalisation moment; finalising without them", { error });
    const stored = await openJudgeState(deps.judge.stateDir, facts.epochId).read<EvidenceEntry[]>(
      "evidence.json",
    );
    return stored ?? [];
  }
}

/** Deletes a finalised epoch's downloaded files (the report and winners are published by now). */
async function removeDownloads(deps: LoopDeps, epochId: string): Promise<void> {
  try {
    await Deno.remove(openJudgeState(deps.judge.stateDir, epochId).downloads, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Sends commit-reveal reveals that have come due (subtensor with commit-reveal on; else a no-op). */
async function revealDue(deps: LoopDeps): Promise<void> {
  const chain = deps.weights.chain;
  if (!hasRevealScheduler(chain)) return;
  try {
    for (const o of await chain.revealDue(deps.weights.pair)) {
      if (o.outcome !== "waiting") deps.judge.log.info("weights reveal", { ...o });
    }
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    deps.judge.log.warn("reveal step failed; retrying next tick", { error });
  }
}
