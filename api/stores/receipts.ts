/**
 * Miner progress and server-attested submission receipts. The first COMPLETED status of a hotkey for an
 * epoch wins (an atomic insert-if-absent); later ones are kept as history. Receipt times are the API's
 * clock, so validators rank speed on server time, never on what a miner claims.
 * @module
 */
import type { StatusRequest, SubmissionReceipt } from "../../shared/schemas/zipcode_assignments.ts";
import { kvKeys } from "./kv_keys.ts";
import { withKvRetry } from "./kv_retry.ts";

/** The latest progress report of a miner, as stored. */
export interface MinerProgress {
  status: StatusRequest["status"];
  listingsScraped: number | null;
  zipcodesCompleted: number;
  receivedAtMs: number;
}

/** Stores a miner's latest status for an epoch. */
export async function recordStatus(kv: Deno.Kv, input: StatusRequest, nowMs: number): Promise<void> {
  const progress: MinerProgress = {
    status: input.status,
    listingsScraped: input.listingsScraped ?? null,
    zipcodesCompleted: input.zipcodesCompleted?.length ?? 0,
    receivedAtMs: nowMs,
  };
  await kv.set(kvKeys.minerStatus(input.epochId, input.hotkey), progress);
}

/** Records a COMPLETED submission; returns the hotkey's first receipt and whether this call made it. */
export async function recordCompleted(
  kv: Deno.Kv,
  claim: { hotkey: string; epochId: string; manifestSha256: string },
  nowMs: number,
): Promise<{ receipt: SubmissionReceipt; first: boolean }> {
  const receipt: SubmissionReceipt = { ...claim, receivedAt: new Date(nowMs).toISOString() };
  const key = kvKeys.receipt(claim.epochId, claim.hotkey);
  const commit = await withKvRetry(() =>
    kv.atomic().check({ key, versionstamp: null }).set(key, receipt).commit()
  );
  if (commit.ok) return { receipt, first: true };
  await kv.set(kvKeys.receiptHistory(claim.epochId, claim.hotkey, nowMs), receipt);
  const first = (await kv.get<SubmissionReceipt>(key)).value!;
  return { receipt: first, first: false };
}

/** Every first receipt of an epoch (sorted by hotkey) and the later ones (by hotkey, then time). */
export async function listReceipts(
  kv: Deno.Kv,
  epochId: string,
): Promise<{ submissions: SubmissionReceipt[]; history: SubmissionReceipt[] }> {
  const submissions: SubmissionReceipt[] = [];
  for await (const e of kv.list<SubmissionReceipt>({ prefix: kvKeys.receipts(epochId) })) {
    submissions.push(e.value);
  }
  const history: SubmissionReceipt[] = [];
  for await (const e of kv.list<SubmissionReceipt>({ prefix: kvKeys.receiptHistoryAll(epochId) })) {
    history.push(e.value);
  }
  return { submissions, history };
}

/** How many miners reported each status for an epoch (for stats and the dashboard). */
export async function progressSummary(kv: Deno.Kv, epochId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const e of kv.list<MinerProgress>({ prefix: kvKeys.minerStatuses(epochId) })) {
    counts[e.value.status] = (counts[e.value.status] ?? 0) + 1;
  }
  return counts;
}
