/**
 * Miner progress and server-attested submission receipts. A miner may submit its epoch in parts: each part
 * manifest (`parts/{part}.json`, or the legacy `manifest.json` as one part) gets one receipt, the first
 * COMPLETED for that key (an atomic insert-if-absent), and a hotkey holds at most `maxParts` receipts per
 * epoch (a counter checked in the same atomic commit), so history is bounded. Receipt times are the API's
 * clock, so validators rank speed on server time, never on what a miner claims.
 * @module
 */
import type { StatusRequest, SubmissionReceipt } from "../../shared/schemas/zipcode_assignments.ts";
import { MANIFEST_FILE } from "../../shared/s3_keys.ts";
import { kvKeys } from "./kv_keys.ts";
import { withKvRetry } from "./kv_retry.ts";

/** The latest progress report of a miner, as stored. */
export interface MinerProgress {
  status: StatusRequest["status"];
  listingsScraped: number | null;
  zipcodesCompleted: number;
  receivedAtMs: number;
}

/** Stores a miner's latest status for an epoch (one entry per hotkey and epoch). */
export async function recordStatus(kv: Deno.Kv, input: StatusRequest, nowMs: number): Promise<void> {
  const progress: MinerProgress = {
    status: input.status,
    listingsScraped: input.listingsScraped ?? null,
    zipcodesCompleted: input.zipcodesCompleted?.length ?? 0,
    receivedAtMs: nowMs,
  };
  await kv.set(kvKeys.minerStatus(input.epochId, input.hotkey), progress);
}

/** The receipt already held for one part manifest, if any. */
export async function findReceipt(
  kv: Deno.Kv,
  epochId: string,
  hotkey: string,
  manifestKey: string,
): Promise<SubmissionReceipt | null> {
  return (await kv.get<SubmissionReceipt>(kvKeys.receipt(epochId, hotkey, manifestKey))).value;
}

/** What `recordCompleted` did. */
export type RecordOutcome =
  | { ok: true; receipt: SubmissionReceipt; first: boolean }
  | { ok: false; reason: "too_many_parts"; limit: number };

const MAX_ATTEMPTS = 8;

/**
 * Records the receipt of one part manifest; a part that already has one keeps it (first wins). Refuses a
 * new part once the hotkey holds `maxParts` receipts for the epoch.
 */
export async function recordCompleted(
  kv: Deno.Kv,
  claim: { hotkey: string; epochId: string; manifestKey: string; manifestSha256: string },
  nowMs: number,
  maxParts: number,
): Promise<RecordOutcome> {
  const receipt: SubmissionReceipt = { ...claim, receivedAt: new Date(nowMs).toISOString() };
  const key = kvKeys.receipt(claim.epochId, claim.hotkey, claim.manifestKey);
  const countKey = kvKeys.receiptCount(claim.epochId, claim.hotkey);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [existing, count] = await kv.getMany<[SubmissionReceipt, number]>([key, countKey]);
    if (existing.value) return { ok: true, receipt: existing.value, first: false };
    const held = count.value ?? 0;
    if (held >= maxParts) return { ok: false, reason: "too_many_parts", limit: maxParts };
    const commit = await withKvRetry(() =>
      kv.atomic()
        .check({ key, versionstamp: null })
        .check({ key: countKey, versionstamp: count.versionstamp })
        .set(key, receipt)
        .set(countKey, held + 1)
        .commit()
    );
    if (commit.ok) return { ok: true, receipt, first: true };
  }
  throw new Error(`Receipt for ${claim.manifestKey} kept conflicting after ${MAX_ATTEMPTS} attempts`);
}

/** Every receipt the API issued for an epoch. */
export async function allReceipts(kv: Deno.Kv, epochId: string): Promise<SubmissionReceipt[]> {
  const out: SubmissionReceipt[] = [];
  for await (const e of kv.list<SubmissionReceipt>({ prefix: kvKeys.receipts(epochId) })) out.push(e.value);
  return out;
}

/**
 * Groups an epoch's receipts: `submissions` holds one receipt per hotkey, that of the whole
 * `manifest.json` when there is one (today's validators verify that manifest against it), else the
 * earliest part's; `history` holds the hotkey's other part receipts.
 */
export function groupReceipts(
  receipts: readonly SubmissionReceipt[],
): { submissions: SubmissionReceipt[]; history: SubmissionReceipt[] } {
  const byHotkey = new Map<string, SubmissionReceipt[]>();
  for (const r of [...receipts].sort((a, b) => receiptOrder(a) < receiptOrder(b) ? -1 : 1)) {
    const list = byHotkey.get(r.hotkey) ?? [];
    list.push(r);
    byHotkey.set(r.hotkey, list);
  }
  const submissions: SubmissionReceipt[] = [];
  const history: SubmissionReceipt[] = [];
  for (const list of byHotkey.values()) {
    const whole = list.find((r) => r.manifestKey?.endsWith(`/${MANIFEST_FILE}`));
    const first = whole ?? list.reduce((a, b) => (b.receivedAt < a.receivedAt ? b : a));
    submissions.push(first);
    history.push(...list.filter((r) => r !== first));
  }
  return { submissions, history };
}

/** By hotkey, then key: the order KV lists them in. */
function receiptOrder(r: SubmissionReceipt): string {
  return `${r.hotkey}\n${r.manifestKey ?? ""}`;
}

/** Every receipt of an epoch, grouped (`groupReceipts`). */
export async function listReceipts(
  kv: Deno.Kv,
  epochId: string,
): Promise<{ submissions: SubmissionReceipt[]; history: SubmissionReceipt[] }> {
  return groupReceipts(await allReceipts(kv, epochId));
}

/** How many miners reported each status for an epoch (for stats and the dashboard). */
export async function progressSummary(kv: Deno.Kv, epochId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const e of kv.list<MinerProgress>({ prefix: kvKeys.minerStatuses(epochId) })) {
    counts[e.value.status] = (counts[e.value.status] ?? 0) + 1;
  }
  return counts;
}
