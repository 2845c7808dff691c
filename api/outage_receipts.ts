/**
 * An epoch's receipts as validators get them (`GET .../epoch/{id}/submissions`): the API's own, plus, for
 * parts uploaded while the API was down, the receipts S3's write time earns (`shared/outage_receipts.ts`).
 *
 * After the deadline nothing in the epoch's folders can change (every policy has expired, and miners can
 * neither delete nor overwrite without one), so the credits follow from facts every validator sees the
 * same way: S3's write times and the API's heartbeats. The listing records a heartbeat before it decides,
 * so whether a moment counts as down never changes between two validators asking at different times (see
 * the shared module). Only an epoch whose upload window contains a down moment is scanned: then every
 * miner folder is listed once (two listings per miner), and the result is kept once it is final
 * (`API_DOWN_GRACE_SECONDS` after the deadline).
 * @module
 */
import { sha256Hex } from "../shared/canonical_json.ts";
import type { Epoch } from "../shared/epoch.ts";
import {
  apiDownWithin,
  mergeReceipts,
  outageReceipts,
  type StoredManifest,
} from "../shared/outage_receipts.ts";
import { ALL_MINERS_PREFIX, minerEpochPrefix, parseObjectKey } from "../shared/s3_keys.ts";
import type { SubmissionReceipt } from "../shared/schemas/zipcode_assignments.ts";
import type { ApiDeps } from "./deps.ts";
import { MAX_MANIFEST_BYTES } from "./routes/receipt.ts";
import { heartbeatsBetween, recordHeartbeat } from "./stores/heartbeats.ts";
import { kvKeys } from "./stores/kv_keys.ts";
import { allReceipts, groupReceipts } from "./stores/receipts.ts";

/** The epoch's receipts, grouped as the submissions route answers them. */
export async function epochReceipts(deps: ApiDeps, epoch: Epoch) {
  const { kv, config, clock } = deps;
  const issued = await allReceipts(kv, epoch.id);
  const nowMs = clock.now().getTime();
  if (nowMs < epoch.submissionDeadline) return groupReceipts(issued);
  const credits = await creditsOf(deps, epoch, nowMs);
  return groupReceipts(mergeReceipts(issued, credits, config.MAX_MANIFEST_PARTS));
}

async function creditsOf(deps: ApiDeps, epoch: Epoch, nowMs: number): Promise<SubmissionReceipt[]> {
  const { kv, config, metrics } = deps;
  const kept = await kv.get<SubmissionReceipt[]>(kvKeys.outageReceipts(epoch.id));
  if (kept.value) return kept.value;
  await recordHeartbeat(kv, nowMs);
  const graceMs = config.API_DOWN_GRACE_SECONDS * 1000;
  const beats = await heartbeatsBetween(kv, epoch.start - graceMs, epoch.submissionDeadline + graceMs);
  const credits = apiDownWithin(beats, epoch.start, epoch.submissionDeadline, graceMs)
    ? outageReceipts(epoch, await storedManifests(deps, epoch), beats, {
      graceMs,
      maxParts: config.MAX_MANIFEST_PARTS,
    })
    : [];
  if (nowMs >= epoch.submissionDeadline + graceMs) {
    // Validators list concurrently; each computes the same credits, the first one stores and reports them.
    const stored = await kv.atomic()
      .check({ key: kvKeys.outageReceipts(epoch.id), versionstamp: null })
      .set(kvKeys.outageReceipts(epoch.id), credits, { expireIn: 8 * 24 * 3600 * 1000 })
      .commit();
    if (stored.ok) {
      metrics.counter("zipmine_api_outage_receipts_total", "Part receipts timed by S3 during API outages")
        .inc({}, credits.length);
      deps.log.info("outage receipts final", {
        epochId: epoch.id,
        parts: credits.length,
        hotkeys: [...new Set(credits.map((r) => r.hotkey))],
      });
    }
  }
  return credits;
}

/** Every part manifest of the epoch in the miner bucket, with its write time and SHA-256. */
async function storedManifests(deps: ApiDeps, epoch: Epoch): Promise<StoredManifest[]> {
  const { objectReader, config } = deps;
  const bucket = config.S3_BUCKET;
  const out: StoredManifest[] = [];
  for (const folder of await objectReader.listFolders(bucket, ALL_MINERS_PREFIX)) {
    const hotkey = folder.slice(ALL_MINERS_PREFIX.length, -1);
    if (hotkey === "" || hotkey.includes("/")) continue;
    for (const o of await objectReader.listObjects(bucket, minerEpochPrefix(hotkey, epoch.id))) {
      if (!isManifestOf(o.key, hotkey, epoch.id) || o.size > MAX_MANIFEST_BYTES) continue;
      const bytes = await objectReader.getObject(bucket, o.key, { maxBytes: MAX_MANIFEST_BYTES });
      if (bytes === null) continue;
      out.push({ hotkey, key: o.key, lastModifiedMs: o.lastModifiedMs, sha256: sha256Hex(bytes) });
    }
  }
  return out;
}

function isManifestOf(key: string, hotkey: string, epochId: string): boolean {
  try {
    const parsed = parseObjectKey(key, { hotkey });
    return parsed.kind === "minerManifest" && parsed.epochId === epochId;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
