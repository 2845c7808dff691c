/**
 * Receipts for parts uploaded while the API was down (issue 18): the API cannot time them, so S3 does. A
 * part manifest whose S3 write time (`LastModified`) lies inside its epoch's upload window and at a moment
 * the API was down is credited at that write time, as if the API had issued its receipt then.
 *
 * "The API was down at t" is decided from the API's own heartbeats (written every few seconds, by its
 * minute job and by every receipt listing): down when no heartbeat lies within `graceMs` of t on either
 * side. The verdict for t is final once a heartbeat exists after t + graceMs, and a listing writes one
 * before it decides, so every validator that asks, whenever it asks, gets the same answer: a moment that
 * looked up keeps the heartbeat that made it up, and a moment that looked down has its whole window in the
 * past. While the API is up it heartbeats, so a miner that skips its API receipt gets no S3 credit: it
 * cannot gain by not asking. An upload before the epoch's start or at or after its deadline gets nothing
 * (S3 refuses the latter anyway: the policy expires at the deadline).
 * @module
 */
import type { Epoch } from "./epoch.ts";
import type { SubmissionReceipt } from "./schemas/zipcode_assignments.ts";

/** A part manifest as S3 lists it, with the SHA-256 of its current bytes. */
export interface StoredManifest {
  hotkey: string;
  key: string;
  lastModifiedMs: number;
  sha256: string;
}

/** True when no heartbeat (ms, any order) lies within `graceMs` of `at`. */
export function apiDownAt(heartbeats: readonly number[], at: number, graceMs: number): boolean {
  return !heartbeats.some((h) => Math.abs(h - at) <= graceMs);
}

/** True when some moment of `[from, until)` lies more than `graceMs` away from every heartbeat. */
export function apiDownWithin(
  heartbeats: readonly number[],
  from: number,
  until: number,
  graceMs: number,
): boolean {
  let uncovered = from; // the first moment not yet within the grace of a heartbeat
  for (const h of [...heartbeats].sort((a, b) => a - b)) {
    if (h - graceMs > uncovered) break;
    uncovered = Math.max(uncovered, h + graceMs + 1);
  }
  return uncovered < until;
}

/**
 * The receipts S3's write time earns: one per stored manifest written inside `[start, deadline)` of
 * `epoch` while the API was down, timed at that write, at most `maxParts` per hotkey (the earliest).
 */
export function outageReceipts(
  epoch: Epoch,
  manifests: readonly StoredManifest[],
  heartbeats: readonly number[],
  options: { graceMs: number; maxParts: number },
): SubmissionReceipt[] {
  const credited = manifests
    .filter((m) => m.lastModifiedMs >= epoch.start && m.lastModifiedMs < epoch.submissionDeadline)
    .filter((m) => apiDownAt(heartbeats, m.lastModifiedMs, options.graceMs))
    .sort((a, b) => a.lastModifiedMs - b.lastModifiedMs || (a.key < b.key ? -1 : 1));
  const perHotkey = new Map<string, number>();
  const out: SubmissionReceipt[] = [];
  for (const m of credited) {
    const held = perHotkey.get(m.hotkey) ?? 0;
    if (held >= options.maxParts) continue;
    perHotkey.set(m.hotkey, held + 1);
    out.push({
      hotkey: m.hotkey,
      epochId: epoch.id,
      manifestKey: m.key,
      manifestSha256: m.sha256,
      receivedAt: new Date(m.lastModifiedMs).toISOString(),
      basis: "s3-outage",
    });
  }
  return out;
}

/**
 * The API's receipts with the outage credits merged in: per part manifest the earlier of the two (a part
 * uploaded during an outage keeps its S3 time even if the miner got an API receipt once the API was
 * back), at most `maxParts` per hotkey, earliest first.
 */
export function mergeReceipts(
  api: readonly SubmissionReceipt[],
  outage: readonly SubmissionReceipt[],
  maxParts: number,
): SubmissionReceipt[] {
  const byPart = new Map<string, SubmissionReceipt>();
  for (const r of [...api, ...outage]) {
    const id = `${r.hotkey}\n${r.manifestKey ?? ""}`;
    const held = byPart.get(id);
    if (!held || Date.parse(r.receivedAt) < Date.parse(held.receivedAt)) byPart.set(id, r);
  }
  const perHotkey = new Map<string, number>();
  return [...byPart.values()]
    .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))
    .filter((r) => {
      const held = perHotkey.get(r.hotkey) ?? 0;
      perHotkey.set(r.hotkey, held + 1);
      return held < maxParts;
    });
}
