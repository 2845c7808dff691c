/**
 * Phase 4 of judging (`judge.ts`), at a fixed moment: merge every validator's evidence
 * (`shared/agreement.ts`), re-check what is disputed, score (`shared/audit/derive.ts`), store and publish the
 * report, the metadata and the winners' rows, and report per-ZIP validated counts to the API.
 * @module
 */
import {
  DISPUTE_FETCH_ATTEMPTS,
  disputedUnconcluded,
  type EvidenceEntry,
  type MergedCheck,
  type ValidatorEvidence,
} from "../shared/agreement.ts";
import { validatedPerZip } from "../shared/calibration.ts";
import { deriveReport, earliestReceipt } from "../shared/audit/derive.ts";
import { copyReasons } from "../shared/copies.ts";
import { validatorKey } from "../shared/s3_keys.ts";
import { parseListPage } from "../shared/s3_list_xml.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import { MAX_EVIDENCE_BYTES, parseEvidence } from "../shared/schemas/evidence.ts";
import { AUDIT_STATE, auditFactsOf, selfCheck } from "./audit_facts.ts";
import { readRowKeys } from "./claims.ts";
import { downloadBounded } from "./gather.ts";
import { checkAll, claimsOf, streamOf } from "./judge_evidence.ts";
import { type EpochFactsRecord, epochOf, type JudgeDeps, type MinerFindings } from "./judge_records.ts";
import { openJudgeState } from "./judge_state.ts";
import { buildWinnersParquet, OUTPUT_FILES, publishOutputs } from "./publish.ts";

/**
 * How far this validator agrees with the others: of its conclusive spot checks on which the others' stake
 * majority is also conclusive, the share where both say the same. Null when no check could be compared.
 */
export function agreementRatio(own: readonly EvidenceEntry[], merged: readonly MergedCheck[]): number | null {
  const key = (e: { miner: string; zpid: string }) => `${e.miner}\u0000${e.zpid}`;
  const mine = new Map<string, EvidenceEntry["outcome"]>();
  for (const e of own) if (!mine.has(key(e))) mine.set(key(e), e.outcome);
  let compared = 0;
  let agreed = 0;
  for (const check of merged) {
    const outcome = mine.get(key(check));
    if (outcome === undefined || outcome === "unknown" || check.others === "unknown") continue;
    compared++;
    if (check.others === outcome) agreed++;
  }
  return compared === 0 ? null : agreed / compared;
}

/**
 * Reads the other validators' published evidence for the epoch, each parsed with its schema: a missing or
 * unreadable file is skipped, malformed entries are dropped (logged and counted), the rest vote with the
 * validator's stake.
 */
async function othersEvidence(deps: JudgeDeps, facts: EpochFactsRecord): Promise<ValidatorEvidence[]> {
  const out: ValidatorEvidence[] = [];
  const dropped = deps.metrics.counter(
    "zipmine_validator_evidence_dropped_total",
    "Other validators' evidence entries dropped as malformed",
  );
  for (const validator of facts.validators.filter((v) => v !== deps.pair.address)) {
    try {
      const page = await deps.api.validatorOutputsList(validator, facts.epochId);
      const listing = parseListPage(await (await deps.fetch(page.list_url)).text());
      const key = validatorKey(validator, facts.epochId, OUTPUT_FILES.evidence);
      if (!listing.objects.some((o) => o.key === key)) continue;
      const urls = await deps.api.validatorOutputsFiles(validator, [key]);
      const got = await downloadBounded(
        deps.fetch,
        urls.file_urls[key].presigned_url,
        null,
        MAX_EVIDENCE_BYTES,
      );
      const parsed = parseEvidence(JSON.parse(new TextDecoder().decode(got.data!)));
      if (parsed.dropped > 0 || parsed.problem) {
        dropped.inc({ validator: validator.slice(0, 12) }, parsed.dropped || 1);
        deps.log.warn("malformed evidence dropped", {
          validator,
          dropped: parsed.dropped,
          problem: parsed.problem,
        });
      }
      // Older facts without stakes: one unit each (one validator one vote).
      const stake = facts.validatorStakes?.[validator] ?? 1;
      if (!parsed.problem) out.push({ validator, stake, entries: parsed.entries });
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      deps.log.warn("could not read another validator's evidence", { validator, error });
    }
  }
  return out;
}

/** Copy clusters among the miners that passed their checks (`shared/copies.ts`). */
export async function copiesOf(
  deps: Pick<JudgeDeps, "config">,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
) {
  const candidates = [];
  for (const f of findings.filter((f) => f.zeroReason === null && f.checks)) {
    candidates.push({
      hotkey: f.hotkey,
      rowKeys: await readRowKeys(f.files),
      receivedAtMs: earliestReceipt(facts, f.hotkey),
    });
  }
  return copyReasons(candidates, deps.config.COPY_MIN_SHARED_PERCENT);
}

/** Phase 4: merge, score, store, publish (idempotent: a stored report is re-used). */
export async function finalizeEpoch(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
  ownEvidence: readonly EvidenceEntry[],
): Promise<ValidationReport> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  let report = await state.read<ValidationReport>("report.json");
  if (!report) {
    const others = await othersEvidence(deps, facts);
    const stream = streamOf(deps, facts, findings);
    // A disputed listing this validator has not concluded is fetched again (rule 4 of agreement.ts).
    let rechecks: EvidenceEntry[] = [];
    for (let attempt = 0; attempt < DISPUTE_FETCH_ATTEMPTS; attempt++) {
      const disputed = disputedUnconcluded(stream, [...rechecks, ...ownEvidence], others);
      if (disputed.length === 0) break;
      const again = await checkAll(deps, facts, await claimsOf(findings, disputed), disputed);
      rechecks = [...again.filter((e) => e.outcome !== "unknown"), ...rechecks];
    }
    const copies = await copiesOf(deps, facts, findings);
    const audit = auditFactsOf(deps, facts, findings, { copies, ownEvidence, rechecks, others });
    const derived = deriveReport({
      facts,
      findings,
      copies,
      own: [...rechecks, ...ownEvidence],
      others,
      params: audit.params,
      validatorHotkey: deps.pair.address,
    });
    report = derived.report;
    await state.write(AUDIT_STATE.facts, audit);
    await state.write(AUDIT_STATE.others, others);
    await state.write("report.json", report);
    deps.metrics.gauge("zipmine_validator_agreement_validators", "Other validators whose evidence was merged")
      .set(others.length);
    deps.metrics.gauge("zipmine_validator_agreement_ratio", "Own conclusive spot checks the merge confirmed")
      .set(agreementRatio([...rechecks, ...ownEvidence], derived.merged) ?? NaN);
  }
  await publishReport(deps, facts, findings, report);
  return report;
}

async function publishReport(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
  report: ValidationReport,
): Promise<void> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  if (await state.read("published.json")) return;
  // A report that does not re-derive from what is published with it is a bug: it is never published.
  const audit = await selfCheck(deps, state, report);
  const epoch = epochOf(deps, facts.epochId);
  const winners = report.miners.filter((m) => m.rank !== null && m.rank <= deps.config.TOP_SHARES.length);
  const bytes = await buildWinnersParquet({
    files: winners.flatMap((w) => findings.find((f) => f.hotkey === w.hotkey)!.files),
    ranks: winners.map((w) => ({ hotkey: w.hotkey, rank: w.rank! })),
    validatorHotkey: deps.pair.address,
    validatedAt: report.generatedAt,
    output: `${state.dir}/winners.parquet`,
  });
  // Calibration moves on listings for sale only: padding a ZIP with homes off the market cannot raise it.
  const validated = validatedPerZip(
    report.miners.filter((m) => m.score > 0).map((m) => m.counts.forSalePerZipcode ?? m.counts.perZipcode),
  );
  const metadata = {
    epochId: facts.epochId,
    validatorHotkey: deps.pair.address,
    zipcodes: facts.assignment.zipcodes.map((z) => z.zipcode),
    expectedListings: facts.assignment.metadata.totalExpectedListings,
    validatedListings: Object.values(validated).reduce((a, b) => a + b, 0),
    winners: winners.map((w) => ({ hotkey: w.hotkey, rank: w.rank!, weight: w.weight })),
    publishedAt: report.generatedAt,
  };
  // Outputs may go up until the end of the next epoch: late is better than never for the public record.
  const keys = await publishOutputs({
    upload: deps.upload,
    validatorHotkey: deps.pair.address,
    epochId: facts.epochId,
    deadlineMs: epoch.validationEnd + epoch.end - epoch.start,
    report,
    metadata,
    winners: bytes,
    audit,
  });
  const counts = Object.entries(validated).map(([zipcode, validatedListings]) => ({
    zipcode,
    validatedListings,
  }));
  if (counts.length > 0) {
    try {
      await deps.api.validatedCounts(facts.epochId, counts);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      deps.log.warn("validated counts not accepted", { error });
    }
  }
  await state.write("published.json", { keys, at: deps.clock.now().toISOString() });
}
