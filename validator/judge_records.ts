/**
 * The records of judging (`judge.ts`): what judging needs, phase 1's facts of an epoch and phase 2's findings
 * per miner, as stored between phases so a restart resumes.
 * @module
 */
import type { DuckDBInstance } from "@duckdb/node-api";
import type { ApiClient } from "../shared/api_client.ts";
import { type Epoch, epochById } from "../shared/epoch.ts";
import type { Logger } from "../shared/log.ts";
import type { Registry } from "../shared/metrics.ts";
import type { ChainAdapter, Clock, PageFetcher } from "../shared/ports.ts";
import type { AssignmentResponse, SubmissionReceipt } from "../shared/schemas/zipcode_assignments.ts";
import type { KeyringPair } from "../shared/signature.ts";
import type { OpenerDeps } from "../shared/adapters/sealed_plans/sync.ts";
import type { MinerCheckResult } from "./checks/duckdb_checks.ts";
import type { ValidatorConfig } from "./config.ts";
import type { Upload } from "./publish.ts";

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

/** Epoch `epochId` under the configured timing. */
export function epochOf(deps: Pick<JudgeDeps, "config">, epochId: string): Epoch {
  return epochById(epochId, {
    epochSeconds: deps.config.EPOCH_SECONDS,
    uploadLeadSeconds: deps.config.UPLOAD_LEAD_SECONDS,
  });
}
