/**
 * The validators' published verdicts, read from the validator bucket with the API's own key: who publishes
 * (the folders under the validator root) and, for each epoch asked about, each one's
 * `validation_report.json` and `epoch_metadata.json`. A validator writes an epoch's outputs once (a
 * re-publish writes the same bytes), so a found pair is kept for good; a missing or invalid one is asked
 * for again after `ttlMs`. A file that fails its schema, or names another epoch or validator, is ignored.
 * Each verdict is audited (`shared/audit/audit.ts`, from the published findings: merge, scores, ranks,
 * weights; no miner file is read, so it stays cheap) against its `audit/facts.json` and everyone's evidence.
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../../shared/log.ts";
import { auditValidator } from "../../shared/audit/audit.ts";
import type { ObjectReader } from "../../shared/ports.ts";
import { MAX_AUDIT_FACTS_BYTES } from "../../shared/schemas/audit.ts";
import { MAX_EVIDENCE_BYTES } from "../../shared/schemas/evidence.ts";
import { OUTPUT_FILES, VALIDATOR_ROOT, validatorKey, validatorPrefix } from "../../shared/s3_keys.ts";
import {
  EpochMetadataSchema,
  type ValidationReport,
  ValidationReportSchema,
} from "../../shared/schemas/report.ts";
import { createTtlCache } from "./ttl_cache.ts";
import type { Clock } from "../../shared/ports.ts";

/** Whether a published report re-derives from its facts and the published evidence. */
export interface AuditSummary {
  /** null: no `audit/facts.json` (a validator of an older version), nothing to check against. */
  rederives: boolean | null;
  disagreements: number;
  /** The first disagreement's reason. */
  first: string | null;
}

/** One validator's verdict on one epoch. */
export interface PublishedVerdict {
  report: ValidationReport;
  metadata: z.infer<typeof EpochMetadataSchema>;
  /** Absent until audited. */
  audit?: AuditSummary;
}

/** Reads verdicts by epoch. */
export interface PublishedReports {
  /** Every publishing validator's verdict on each of `epochIds`; rejects when the bucket cannot be read. */
  forEpochs(epochIds: readonly string[]): Promise<Map<string, PublishedVerdict[]>>;
}

/** What the reader needs. */
export interface PublishedReportsDeps {
  objectReader: ObjectReader;
  bucket: string;
  clock: Clock;
  log: Logger;
  /** How long the validator list and a missing verdict are trusted. */
  ttlMs: number;
}

const MAX_CACHED_VERDICTS = 4096;

/** Creates the reader. */
export function createPublishedReports(deps: PublishedReportsDeps): PublishedReports {
  const validators = createTtlCache<string[]>({ ttlMs: deps.ttlMs, maxEntries: 1, clock: deps.clock });
  const verdicts = createTtlCache<PublishedVerdict | null>({
    ttlMs: deps.ttlMs,
    maxEntries: MAX_CACHED_VERDICTS,
    clock: deps.clock,
  });
  const audits = createTtlCache<AuditSummary>({
    ttlMs: deps.ttlMs,
    maxEntries: MAX_CACHED_VERDICTS,
    clock: deps.clock,
  });

  return {
    async forEpochs(epochIds) {
      const hotkeys = await validators.get("all", () => listValidators(deps));
      const out = new Map<string, PublishedVerdict[]>();
      for (const epochId of epochIds) {
        const found = await Promise.all(
          hotkeys.map((hotkey) =>
            verdicts.get(
              `${hotkey}/${epochId}`,
              () => loadVerdict(deps, hotkey, epochId),
              (v) => (v === null ? deps.ttlMs : Infinity),
            )
          ),
        );
        const published = found.filter((v) => v !== null);
        // Published once and immutable, like the verdict: an audit is kept for good once facts were found.
        const audited = await Promise.all(published.map(async (v) => ({
          ...v,
          audit: await audits.get(
            `${v.report.validatorHotkey}/${epochId}`,
            () => auditOf(deps, v, epochId),
            (a) => (a.rederives === null ? deps.ttlMs : Infinity),
          ),
        })));
        out.set(epochId, audited);
      }
      return out;
    },
  };
}

/** The hotkeys with a folder under the validator root. */
async function listValidators(deps: PublishedReportsDeps): Promise<string[]> {
  const hotkeys: string[] = [];
  for (const folder of await deps.objectReader.listFolders(deps.bucket, VALIDATOR_ROOT)) {
    const hotkey = folder.slice(VALIDATOR_ROOT.length, -1);
    try {
      if (validatorPrefix(hotkey) === folder) hotkeys.push(hotkey);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // not a validator folder: someone else's key
    }
  }
  return hotkeys;
}

/** The parsed object; null when there is no such key (or it is over `maxBytes`), undefined when not JSON. */
async function readJson(deps: PublishedReportsDeps, key: string, maxBytes?: number): Promise<unknown> {
  const bytes = await deps.objectReader.getObject(deps.bucket, key, maxBytes ? { maxBytes } : undefined);
  if (bytes === null || (maxBytes !== undefined && bytes.length > maxBytes)) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return undefined;
  }
}

async function loadVerdict(
  deps: PublishedReportsDeps,
  hotkey: string,
  epochId: string,
): Promise<PublishedVerdict | null> {
  const reportJson = await readJson(deps, validatorKey(hotkey, epochId, OUTPUT_FILES.report));
  if (reportJson === null) return null;
  const metadataJson = await readJson(deps, validatorKey(hotkey, epochId, OUTPUT_FILES.metadata));
  if (metadataJson === null) return null; // published in order: the metadata follows the report
  const report = ValidationReportSchema.safeParse(reportJson);
  const metadata = EpochMetadataSchema.safeParse(metadataJson);
  const matches = report.success && metadata.success &&
    [report.data.epochId, metadata.data.epochId].every((id) => id === epochId) &&
    [report.data.validatorHotkey, metadata.data.validatorHotkey].every((hk) => hk === hotkey);
  if (!matches) {
    deps.log.warn("ignoring an invalid published verdict", { validator: hotkey, epochId });
    return null;
  }
  return { report: report.data, metadata: metadata.data };
}

/** The audit of one verdict; reads its facts and the evidence of every validator it names. */
async function auditOf(
  deps: PublishedReportsDeps,
  verdict: PublishedVerdict,
  epochId: string,
): Promise<AuditSummary> {
  const hotkey = verdict.report.validatorHotkey;
  const facts = await readJson(
    deps,
    validatorKey(hotkey, epochId, OUTPUT_FILES.audit),
    MAX_AUDIT_FACTS_BYTES,
  );
  if (facts === null) return { rederives: null, disagreements: 0, first: null };
  const evidence = new Map<string, unknown>();
  const named = (facts as { merged?: { validator?: unknown }[] })?.merged ?? [];
  for (const v of [hotkey, ...named.map((m) => String(m?.validator))]) {
    try {
      const json = await readJson(deps, validatorKey(v, epochId, OUTPUT_FILES.evidence), MAX_EVIDENCE_BYTES);
      if (json !== null) evidence.set(v, json);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // not a hotkey: the audit names the facts malformed
    }
  }
  const audit = auditValidator({
    epochId,
    validator: hotkey,
    files: { report: verdict.report, facts },
    evidenceOf: (v) => evidence.get(v),
  });
  return {
    rederives: audit.ok,
    disagreements: audit.disagreements.length,
    first: audit.disagreements[0]?.reason ?? null,
  };
}
