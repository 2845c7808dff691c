/**
 * Judging epoch N during epoch N+1, in resumable phases:
 *
 *  1. facts      the assignment, the revealed sampling seed (checked against its commitment), the API's
 *                receipts, the metagraph's miners and the owner's uid;
 *  2. findings   per miner: gather the upload, integrity (`shared/integrity.ts`), data checks (DuckDB);
 *  3. evidence   the deterministic sample per miner (`shared/sampling.ts`), re-fetched and compared;
 *                published to `validators/{hotkey}/epoch={N}/evidence/spot_checks.json`;
 *  4. finalise   (at a fixed moment) merge every validator's evidence (`shared/agreement.ts`), score
 *                (`shared/scoring.ts`), store and publish the report, the metadata and the winners' rows,
 *                and report per-ZIP validated counts to the API.
 * @module
 */
import type { DuckDBInstance } from "@duckdb/node-api";
import {
  DISPUTE_FETCH_ATTEMPTS,
  disputedUnconcluded,
  type EvidenceEntry,
  type MergedCheck,
  type ValidatorEvidence,
} from "../shared/agreement.ts";
import type { ApiClient } from "../shared/api_client.ts";
import { validatedPerZip } from "../shared/calibration.ts";
import {
  deriveReport,
  earliestReceipt,
  scoredZeroReason,
  streamOf as auditStreamOf,
} from "../shared/audit/derive.ts";
import { type Epoch, epochById } from "../shared/epoch.ts";
import { verifySeed } from "../shared/epoch_secrets.ts";
import { checkIntegrity } from "../shared/integrity.ts";
import type { Logger } from "../shared/log.ts";
import type { ValidatorConfig } from "./config.ts";
import type { Registry } from "../shared/metrics.ts";
import type { ChainAdapter, PageFetcher } from "../shared/ports.ts";
import { validatorKey } from "../shared/s3_keys.ts";
import { parseListPage } from "../shared/s3_list_xml.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import type { AssignmentResponse, SubmissionReceipt } from "../shared/schemas/zipcode_assignments.ts";
import { MAX_EVIDENCE_BYTES, parseEvidence } from "../shared/schemas/evidence.ts";
import { uploadLimits } from "../shared/upload_budget.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { checkMinerFiles, type MinerCheckResult } from "./checks/duckdb_checks.ts";
import { readClaims, readRowKeys } from "./claims.ts";
import { copyReasons } from "../shared/copies.ts";
import { creditParts, isPartKey, type PartsCredit } from "../shared/parts.ts";
import { downloadBounded, gatherMinerUpload } from "./gather.ts";
import { AUDIT_STATE, auditFactsOf, selfCheck } from "./audit_facts.ts";
import { openJudgeState } from "./judge_state.ts";
import { buildWinnersParquet, OUTPUT_FILES, publishOutputs, type Upload } from "./publish.ts";
import { spotCheck } from "./spot_check.ts";
import { assignmentAndSeed } from "./sealed_plans.ts";
import type { OpenerDeps } from "../shared/adapters/sealed_plans/sync.ts";
import type { Clock } from "../shared/ports.ts";

/** What judging needs. */
export interface JudgeDeps {
  api: ApiClient;
  /** Plain fetch for presigned S3 URLs. */
  fetch: typeof fetch;
  chain: ChainAdapter;
  fetcher: PageFetcher;
  pair: KeyringPair;
  config: ValidatorConfig;
  stateDir: string;
  upload: Upload;
  clock: Clock;
  log: Logger;
  metrics: Registry;
  /** Held sealed plans: the assignment and seed when the API cannot answer (issue 18). */
  sealed?: OpenerDeps;
  /** One DuckDB instance shared by every miner's checks (`createChecksInstance`; about 2x faster). */
  checksInstance?: DuckDBInstance;
}

/** Phase 1's record. */
export interface EpochFactsRecord {
  epochId: string;
  assignment: AssignmentResponse;
  seed: string;
  receipts: SubmissionReceipt[];
  /** Each hotkey's receipts of part manifests (`parts/NNNN.json`); absent in records of older versions. */
  partReceipts?: SubmissionReceipt[];
  miners: { hotkey: string; uid: number }[];
  validators: string[];
  /** Stake per validator hotkey (evidence is merged by stake); absent in records of older versions. */
  validatorStakes?: Record<string, number>;
  ownerUid: number | null;
}

/** Phase 2's record for one miner. */
export interface MinerFindings {
  hotkey: string;
  uid: number;
  zeroReason: string | null;
  manifestSha256: string | null;
  integrity: { name: string; ok: boolean; detail?: string }[];
  checks: MinerCheckResult | null;
  files: string[];
  problems: string[];
  /** The receipt (ms) each data file is credited to (`shared/parts.ts`), by key; absent: the manifest's. */
  fileReceivedAtMs?: Record<string, number>;
  /**
   * Set when this validator could not judge the miner (its own side failed, after retries, or the judging
   * deadline came): the miner gets no weight and is never reported as a cheat. Absent in older records.
   */
  notJudged?: string | null;
}

/** The findings of a miner this validator could not judge, for `reason`. */
export function notJudgedFindings(miner: { hotkey: string; uid: number }, reason: string): MinerFindings {
  return {
    hotkey: miner.hotkey,
    uid: miner.uid,
    zeroReason: null,
    manifestSha256: null,
    integrity: [],
    checks: null,
    files: [],
    problems: [],
    notJudged: reason,
  };
}

export { scoredZeroReason };

const SPOT_CHECK_CONCURRENCY = 4;

function epochOf(deps: Pick<JudgeDeps, "config">, epochId: string): Epoch {
  return epochById(epochId, {
    epochSeconds: deps.config.EPOCH_SECONDS,
    uploadLeadSeconds: deps.config.UPLOAD_LEAD_SECONDS,
  });
}

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

/**
 * Phase 2 for one miner (stored; a restart reuses it). Whatever the miner uploaded ends as a stored verdict;
 * an exception means this validator could not judge (`JudgeFault`, DuckDB or the disk failing) and is for
 * the caller to retry (`judge_all.ts`).
 */
export async function judgeMiner(
  deps: Pick<JudgeDeps, "fetch" | "config" | "stateDir" | "metrics" | "checksInstance"> & {
    api: Pick<ApiClient, "minerList" | "fileUrls">;
  },
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
  let checks: MinerCheckResult | null = null;
  let credit: PartsCredit | null = null;
  if (integrity.zeroReason === null && integrity.manifest && receipt) {
    credit = creditParts(
      integrity.manifest,
      Date.parse(receipt.receivedAt),
      upload.parts.map((p) => ({ ...p, receipt: partReceipts.find((r) => r.manifestKey === p.key)! })),
      { hotkey: miner.hotkey, epochId: facts.epochId, deadlineMs: epoch.submissionDeadline },
    );
    const byKey = new Map(upload.files.map((f) => [f.key, f]));
    checks = await checkMinerFiles({
      hotkey: miner.hotkey,
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
        scrapedByMs: credit!.fileReceivedAtMs[f.key],
      })),
      maxFileBytes: deps.config.MAX_MINER_FILE_BYTES,
    }, { instance: deps.checksInstance, maxRows: limits.maxRows });
  }
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
  const counter = deps.metrics.counter("zipmine_validator_miners_judged_total", "Miners judged, by outcome");
  counter.inc({ outcome: findings.zeroReason ? "zero" : "passed" });
  if (findings.zeroReason) {
    deps.metrics.counter("zipmine_validator_checks_failed_total", "Miners zeroed, by failed check")
      .inc({ check: findings.zeroReason.split(":")[0].slice(0, 40) });
  }
  await state.write(name, findings);
  return findings;
}

/** The whole stream every validator may check: SPOT_CHECK_COUNT plus SPOT_CHECK_EXTRA per miner. */
function streamOf(deps: JudgeDeps, facts: EpochFactsRecord, findings: readonly MinerFindings[]) {
  return auditStreamOf(facts, findings, deps.config);
}

type Claims = Map<string, Awaited<ReturnType<typeof readClaims>>>;

async function checkAll(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  claims: Claims,
  picks: readonly { miner: string; zpid: string }[],
): Promise<EvidenceEntry[]> {
  // The legacy single manifest is one part: its receipt bounds every row's scraped_at.
  const receipt = new Map(facts.receipts.map((r) => [r.hotkey, r.receivedAt]));
  const outcomes = deps.metrics.counter("zipmine_validator_spot_checks_total", "Spot checks, by outcome");
  const out: EvidenceEntry[] = new Array(picks.length);
  let next = 0;
  await Promise.all(Array.from({ length: SPOT_CHECK_CONCURRENCY }, async () => {
    while (next < picks.length) {
      const i = next++;
      const { miner, zpid } = picks[i];
      out[i] = await spotCheck(
        { fetcher: deps.fetcher, siteUrl: deps.config.LISTING_SITE_URL },
        miner,
        zpid,
        claims.get(miner)?.get(zpid),
        receipt.get(miner),
      );
      outcomes.inc({ outcome: out[i].outcome });
    }
  }));
  return out;
}

/**
 * Own checks: the first SPOT_CHECK_COUNT of each miner's stream, then, for a miner with fewer than
 * MIN_CONCLUSIVE_CHECKS conclusive outcomes, further listings of the same stream one round at a time
 * (as many as it lacks) until it has them or SPOT_CHECK_EXTRA are used.
 */
async function ownChecks(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  stream: readonly { miner: string; zpid: string }[],
  claims: Claims,
): Promise<EvidenceEntry[]> {
  const byMiner = new Map<string, { miner: string; zpid: string }[]>();
  for (const s of stream) byMiner.set(s.miner, (byMiner.get(s.miner) ?? []).concat(s));
  const used = new Map(
    [...byMiner.keys()].map((m) => [m, Math.min(deps.config.SPOT_CHECK_COUNT, byMiner.get(m)!.length)]),
  );
  const evidence = await checkAll(
    deps,
    facts,
    claims,
    [...byMiner].flatMap(([m, list]) => list.slice(0, used.get(m))),
  );
  for (;;) {
    const picks = [...byMiner].flatMap(([m, list]) => {
      const conclusive = evidence.filter((e) => e.miner === m && e.outcome !== "unknown").length;
      const lacking = deps.config.MIN_CONCLUSIVE_CHECKS - conclusive;
      if (lacking <= 0) return [];
      const from = used.get(m)!;
      const to = Math.min(list.length, from + lacking);
      used.set(m, to);
      return list.slice(from, to);
    });
    if (picks.length === 0) return evidence;
    evidence.push(...await checkAll(deps, facts, claims, picks));
  }
}

/** Phase 3: own spot checks, stored and published. */
export async function runSpotChecks(
  deps: JudgeDeps,
  facts: EpochFactsRecord,
  findings: readonly MinerFindings[],
): Promise<EvidenceEntry[]> {
  const state = openJudgeState(deps.stateDir, facts.epochId);
  let evidence = await state.read<EvidenceEntry[]>("evidence.json");
  if (!evidence) {
    const stream = streamOf(deps, facts, findings);
    evidence = await ownChecks(deps, facts, stream, await claimsOf(findings, stream));
    await state.write("evidence.json", evidence);
  }
  if (!(await state.read("evidence_published.json"))) {
    const key = validatorKey(deps.pair.address, facts.epochId, OUTPUT_FILES.evidence);
    const epoch = epochOf(deps, facts.epochId);
    await deps.upload(key, new TextEncoder().encode(JSON.stringify(evidence)), epoch.validationEnd);
    await state.write("evidence_published.json", { key, at: deps.clock.now().toISOString() });
  }
  deps.metrics.gauge("zipmine_validator_spot_checks_unknown_ratio", "Share of own spot checks unknown")
    .set(unknownShare(evidence) ?? NaN);
  return evidence;
}

async function claimsOf(
  findings: readonly MinerFindings[],
  picks: readonly { miner: string; zpid: string }[],
) {
  const claims: Claims = new Map();
  for (const f of findings) {
    const zpids = picks.filter((s) => s.miner === f.hotkey).map((s) => s.zpid);
    if (zpids.length > 0) claims.set(f.hotkey, await readClaims(f.files, zpids));
  }
  return claims;
}

/** The share of `evidence` whose outcome is unknown (blocked, timed out); null when there is none. */
export function unknownShare(evidence: readonly EvidenceEntry[]): number | null {
  return evidence.length === 0
    ? null
    : evidence.filter((e) => e.outcome === "unknown").length / evidence.length;
}

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
