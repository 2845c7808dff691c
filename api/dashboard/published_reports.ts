/**
 * The validators' published verdicts, read from the validator bucket with the API's own key: who publishes
 * (the folders under the validator root) and, for each epoch asked about, each one's
 * `validation_report.json` and `epoch_metadata.json`. A validator writes an epoch's outputs once (a
 * re-publish writes the same bytes), so a found pair is kept for good; a missing or invalid one is asked
 * for again after `ttlMs`. A file that fails its schema, or names another epoch or validator, is ignored.
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../../shared/log.ts";
import type { ObjectReader } from "../../shared/ports.ts";
import { OUTPUT_FILES, VALIDATOR_ROOT, validatorKey, validatorPrefix } from "../../shared/s3_keys.ts";
import {
  EpochMetadataSchema,
  type ValidationReport,
  ValidationReportSchema,
} from "../../shared/schemas/report.ts";
import { createTtlCache } from "./ttl_cache.ts";
import type { Clock } from "../../shared/ports.ts";

/** One validator's verdict on one epoch. */
export interface PublishedVerdict {
  report: ValidationReport;
  metadata: z.infer<typeof EpochMetadataSchema>;
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
  const { objectReader, bucket } = deps;
  const validators = createTtlCache<string[]>({ ttlMs: deps.ttlMs, maxEntries: 1, clock: deps.clock });
  const verdicts = createTtlCache<PublishedVerdict | null>({
    ttlMs: deps.ttlMs,
    maxEntries: MAX_CACHED_VERDICTS,
    clock: deps.clock,
  });

  async function listValidators(): Promise<string[]> {
    const hotkeys: string[] = [];
    for (const folder of await objectReader.listFolders(bucket, VALIDATOR_ROOT)) {
      const hotkey = folder.slice(VALIDATOR_ROOT.length, -1);
      try {
        if (validatorPrefix(hotkey) === folder) hotkeys.push(hotkey);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error; // not a validator folder: someone else's key
      }
    }
    return hotkeys;
  }

  /** The parsed object; null when there is no such key, undefined when it is not JSON (the schema rejects it). */
  async function readJson(key: string): Promise<unknown> {
    const bytes = await objectReader.getObject(bucket, key);
    if (bytes === null) return null;
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return undefined;
    }
  }

  async function loadVerdict(hotkey: string, epochId: string): Promise<PublishedVerdict | null> {
    const reportJson = await readJson(validatorKey(hotkey, epochId, OUTPUT_FILES.report));
    if (reportJson === null) return null;
    const metadataJson = await readJson(validatorKey(hotkey, epochId, OUTPUT_FILES.metadata));
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

  return {
    async forEpochs(epochIds) {
      const hotkeys = await validators.get("all", listValidators);
      const out = new Map<string, PublishedVerdict[]>();
      for (const epochId of epochIds) {
        const found = await Promise.all(
          hotkeys.map((hotkey) =>
            verdicts.get(
              `${hotkey}/${epochId}`,
              () => loadVerdict(hotkey, epochId),
              (v) => (v === null ? deps.ttlMs : Infinity),
            )
          ),
        );
        out.set(epochId, found.filter((v) => v !== null));
      }
      return out;
    },
  };
}
