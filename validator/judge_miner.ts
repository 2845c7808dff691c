/**
 * Phase 2 of judging (`judge.ts`), per miner: gather the upload, check its integrity (`shared/integrity.ts`),
 * credit each file to its part's receipt (`shared/parts.ts`) and run the data checks (DuckDB).
 * @module
 */
import type { ApiClient } from "../shared/api_client.ts";
import type { Epoch } from "../shared/epoch.ts";
import { checkIntegrity } from "../shared/integrity.ts";
import type { Registry } from "../shared/metrics.ts";
import { creditParts, type PartsCredit } from "../shared/parts.ts";
import type { SubmissionReceipt } from "../shared/schemas/zipcode_assignments.ts";
import { uploadLimits } from "../shared/upload_budget.ts";
import { checkMinerFiles, type MinerCheckResult } from "./checks/duckdb_checks.ts";
import { gatherMinerUpload } from "./gather.ts";
import { type EpochFactsRecord, epochOf, type JudgeDeps, type MinerFindings } from "./judge_records.ts";
import { openJudgeState } from "./judge_state.ts";

/** What judging one miner needs. */
type MinerJudgeDeps = Pick<JudgeDeps, "fetch" | "config" | "stateDir" | "metrics" | "checksInstance"> & {
  api: Pick<ApiClient, "minerList" | "fileUrls">;
};

/**
 * Phase 2 for one miner (stored; a restart reuses it). Whatever the miner uploaded ends as a stored verdict;
 * an exception means this validator could not judge (`JudgeFault`, DuckDB or the disk failing) and is for
 * the caller to retry (`judge_all.ts`).
 */
export async function judgeMiner(
  deps: MinerJudgeDeps,
  facts: EpochFactsRecord,
  miner: { hotkey: string; uid: number },
): Promise<MinerFindings> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  const name = state.findingsName(miner.hotkey);
  const stored = await state.read<MinerFindings>(name);
  if (stored) return stored;
  const epoch = epochOf(deps, facts.epochId);
  const limits = uploadLimits(facts.assignment.metadata.totalExpectedListings, deps.config);
  const partReceipts = (facts.partReceipts ?? []).filter((r) => r.hotkey === miner.hotkey);
  const receipt = facts.receipts.find((r) => r.hotkey === miner.hotkey) ?? null;
  const upload = await gatherMinerUpload(
    {
      api: deps.api,
      fetch: deps.fetch,
      workDir: state.downloads,
      limits,
      timeoutMs: deps.config.GATHER_TIMEOUT_SECONDS * 1000,
    },
    miner.hotkey,
    facts.epochId,
    partReceipts.map((r) => r.manifestKey!),
  );
  const integrity = checkIntegrity({
    hotkey: miner.hotkey,
    epochId: facts.epochId,
    deadlineMs: epoch.submissionDeadline,
    objects: upload.objects,
    manifestText: upload.manifestText,
    fileSha256: Object.fromEntries(upload.files.map((f) => [f.key, f.sha256])),
    receipt,
    limits,
    refused: upload.refused,
  });
  const { checks, credit } = await dataChecks(deps, facts, miner.hotkey, {
    epoch,
    limits,
    upload,
    integrity,
    receipt,
    partReceipts,
  });
  const findings: MinerFindings = {
    hotkey: miner.hotkey,
    uid: miner.uid,
    zeroReason: integrity.zeroReason ?? checks?.zeroReason ?? null,
    manifestSha256: integrity.manifestSha256,
    integrity: credit ? [...integrity.checks, credit.check] : integrity.checks,
    checks,
    files: upload.files.map((f) => f.path),
    problems: upload.problems,
    ...(credit ? { fileReceivedAtMs: credit.fileReceivedAtMs } : {}),
    notJudged: null,
  };
  countVerdict(deps.metrics, findings);
  await state.write(name, findings);
  return findings;
}

/** What was gathered and checked of a miner's upload before its data checks. */
interface Gathered {
  epoch: Epoch;
  limits: ReturnType<typeof uploadLimits>;
  upload: Awaited<ReturnType<typeof gatherMinerUpload>>;
  integrity: ReturnType<typeof checkIntegrity>;
  receipt: SubmissionReceipt | null;
  partReceipts: SubmissionReceipt[];
}

/** Credits each file to its part's receipt and runs the DuckDB checks; neither when integrity failed. */
async function dataChecks(
  deps: MinerJudgeDeps,
  facts: EpochFactsRecord,
  hotkey: string,
  gathered: Gathered,
): Promise<{ checks: MinerCheckResult | null; credit: PartsCredit | null }> {
  const { epoch, limits, upload, integrity, receipt, partReceipts } = gathered;
  if (integrity.zeroReason !== null || !integrity.manifest || !receipt) return { checks: null, credit: null };
  const credit = creditParts(
    integrity.manifest,
    Date.parse(receipt.receivedAt),
    upload.parts.map((p) => ({ ...p, receipt: partReceipts.find((r) => r.manifestKey === p.key)! })),
    { hotkey, epochId: facts.epochId, deadlineMs: epoch.submissionDeadline },
  );
  const byKey = new Map(upload.files.map((f) => [f.key, f]));
  const checks = await checkMinerFiles({
    hotkey,
    epochId: facts.epochId,
    nonce: facts.assignment.nonce,
    startMs: epoch.start,
    endMs: epoch.end,
    assigned: new Map(facts.assignment.zipcodes.map((z) => [z.zipcode, {
      expected: z.expectedListings,
      state: z.state,
      city: z.city,
      latitude: z.latitude ?? null,
      longitude: z.longitude ?? null,
    }])),
    files: integrity.manifest.manifest.files.map((f) => ({
      path: byKey.get(f.key)!.path,
      key: f.key,
      zipcode: f.zipcode,
      expectedRows: f.rows,
      scrapedByMs: credit.fileReceivedAtMs[f.key],
    })),
    maxFileBytes: deps.config.MAX_MINER_FILE_BYTES,
  }, { instance: deps.checksInstance, maxRows: limits.maxRows });
  return { checks, credit };
}

/** Counts the verdict: miners judged by outcome, and the failed check of a zeroed one. */
function countVerdict(metrics: Registry, findings: MinerFindings): void {
  const counter = metrics.counter("zipmine_validator_miners_judged_total", "Miners judged, by outcome");
  counter.inc({ outcome: findings.zeroReason ? "zero" : "passed" });
  if (findings.zeroReason) {
    metrics.counter("zipmine_validator_checks_failed_total", "Miners zeroed, by failed check")
      .inc({ check: findings.zeroReason.split(":")[0].slice(0, 40) });
  }
}
