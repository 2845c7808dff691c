/**
 * Where a published report and its re-derivation differ, field by field and miner by miner, each with a
 * reason a reader can act on. Pure.
 * @module
 */
import { canonicalJson } from "../canonical_json.ts";
import type { MergedCheck } from "../agreement.ts";
import type { MinerVerdict, ValidationReport } from "../schemas/report.ts";
import { reportToU16 } from "../weights_u16.ts";

/** One disagreement between a published report and the re-derived one. */
export interface Disagreement {
  /** The miner the field belongs to; null for the report as a whole. */
  miner: string | null;
  field: string;
  reason: string;
}

const MINER_FIELDS = [
  "uid",
  "submittedAt",
  "manifestSha256",
  "checks",
  "counts",
  "components",
  "score",
  "rank",
  "weight",
  "reason",
  "failure",
] as const satisfies readonly (keyof MinerVerdict)[];

const REPORT_FIELDS = [
  "version",
  "epochId",
  "validatorHotkey",
  "generatedAt",
  "seed",
  "seedCommitment",
  "config",
  "weights",
  "burn",
  "evidenceSha256",
] as const satisfies readonly (keyof ValidationReport)[];

const show = (value: unknown) => {
  const text = value === undefined ? "absent" : canonicalJson(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};
// An absent optional field equals null (older reports omit `failure`).
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function votes(check: MergedCheck | undefined): string {
  if (!check) return "no published evidence covers it";
  const v = check.votes;
  return `own ${check.own}, the others' stake majority ${check.others}; votes valid ${v.valid}, invalid ${v.invalid}, unknown ${v.unknown}`;
}

function compareSpotChecks(
  published: MinerVerdict,
  derived: MinerVerdict,
  merged: readonly MergedCheck[],
): Disagreement[] {
  const out: Disagreement[] = [];
  const miner = published.hotkey;
  const mine = new Map(derived.spotChecks.map((c) => [c.zpid, c]));
  const theirs = new Map(published.spotChecks.map((c) => [c.zpid, c]));
  const check = (zpid: string) => merged.find((c) => c.miner === miner && c.zpid === zpid);
  for (const [zpid, p] of theirs) {
    const d = mine.get(zpid);
    if (!d) {
      out.push({
        miner,
        field: "spotChecks",
        reason:
          `spot check ${zpid}: reported ${p.outcome}, but it is not in the sample or no published evidence covers it`,
      });
    } else if (p.outcome !== d.outcome) {
      out.push({
        miner,
        field: "spotChecks",
        reason: `spot check ${zpid}: reported ${p.outcome}, the published evidence gives ${d.outcome} (${
          votes(check(zpid))
        })`,
      });
    } else if ((p.reason ?? null) !== (d.reason ?? null)) {
      out.push({
        miner,
        field: "spotChecks",
        reason: `spot check ${zpid}: reason ${show(p.reason)}, the evidence's ${show(d.reason)}`,
      });
    }
  }
  for (const [zpid, d] of mine) {
    if (!theirs.has(zpid)) {
      out.push({
        miner,
        field: "spotChecks",
        reason: `spot check ${zpid}: missing from the report; the published evidence gives ${d.outcome}`,
      });
    }
  }
  return out;
}

/** Every difference between `published` and `derived` (the same validator's report, re-derived). */
export function compareReports(
  published: ValidationReport,
  derived: ValidationReport,
  merged: readonly MergedCheck[],
): Disagreement[] {
  const out: Disagreement[] = [];
  const byHotkey = new Map(derived.miners.map((m) => [m.hotkey, m]));
  const reported = new Set(published.miners.map((m) => m.hotkey));
  for (const p of published.miners) {
    const d = byHotkey.get(p.hotkey);
    if (!d) {
      out.push({
        miner: p.hotkey,
        field: "miners",
        reason: "reported, but not a miner of the epoch's facts",
      });
      continue;
    }
    for (const field of MINER_FIELDS) {
      if (!same(p[field], d[field])) {
        out.push({
          miner: p.hotkey,
          field,
          reason: `${field}: reported ${show(p[field])}, re-derived ${show(d[field])}`,
        });
      }
    }
    out.push(...compareSpotChecks(p, d, merged));
  }
  for (const d of derived.miners) {
    if (!reported.has(d.hotkey)) {
      out.push({
        miner: d.hotkey,
        field: "miners",
        reason: "a miner of the epoch's facts is missing from the report",
      });
    }
  }
  for (const field of REPORT_FIELDS) {
    if (!same(published[field], derived[field])) {
      out.push({
        miner: null,
        field,
        reason: `${field}: reported ${show(published[field])}, re-derived ${show(derived[field])}`,
      });
    }
  }
  const u16 = [reportToU16(published), reportToU16(derived)];
  if (!same(u16[0], u16[1])) {
    out.push({
      miner: null,
      field: "u16",
      reason: `chain weights: the report's give ${show(u16[0])}, re-derived ${show(u16[1])}`,
    });
  }
  return out;
}
