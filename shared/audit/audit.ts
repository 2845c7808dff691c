/**
 * Re-deriving one validator's published verdict from the public record (`deno task verify`, the
 * validator's own check before it publishes, the dashboard's audit column). Inputs, all public once the
 * epoch's validation window has closed: the validator's `validation_report.json` and `audit/facts.json`,
 * and every validator's `evidence/spot_checks.json`. Optionally the findings recomputed from the miners'
 * files (`validator/audit/`), which replace the published ones: then integrity and data checks are
 * re-derived too. Steps:
 *
 * 1. both files parse and name the epoch and validator; the seed matches the assignment's commitment;
 * 2. the own evidence and each merged validator's evidence are the published files (SHA-256 over the
 *    parsed entries, as the facts record them);
 * 3. `deriveReport` (the validator's own finalisation) from those facts and evidence;
 * 4. `compareReports`: every field, miner by miner, and the u16 vector the chain gets.
 * Pure: the caller reads the files.
 * @module
 */
import type { ValidatorEvidence } from "../agreement.ts";
import { canonicalSha256 } from "../canonical_json.ts";
import { verifySeed } from "../epoch_secrets.ts";
import { type AuditFacts, AuditFactsSchema, type AuditFinding } from "../schemas/audit.ts";
import { parseEvidence } from "../schemas/evidence.ts";
import { type ValidationReport, ValidationReportSchema } from "../schemas/report.ts";
import { compareReports, type Disagreement } from "./compare.ts";
import { type Derived, deriveReport } from "./derive.ts";

export type { Disagreement };

/** One validator's published files for one epoch, as parsed JSON (undefined: not published). */
export interface PublishedFiles {
  report: unknown;
  facts: unknown;
}

/** What auditing one validator needs. */
export interface AuditInput {
  epochId: string;
  validator: string;
  files: PublishedFiles;
  /** Any validator's published evidence as parsed JSON; undefined when it published none. */
  evidenceOf: (validator: string) => unknown;
  /** Findings recomputed from the miners' files, by hotkey; absent: the published findings are used. */
  recomputed?: { findings: ReadonlyMap<string, AuditFinding>; copies: ReadonlyMap<string, string> };
}

/** The verdict on one validator. */
export interface AuditVerdict {
  epochId: string;
  validator: string;
  /** True when the report re-derives exactly. */
  ok: boolean;
  disagreements: Disagreement[];
  /** Observations that are no disagreement (e.g. published evidence the validator did not merge). */
  notes: string[];
  facts: AuditFacts | null;
  report: ValidationReport | null;
  derived: Derived | null;
}

function verdict(
  input: AuditInput,
  partial: Partial<AuditVerdict> & { disagreements: Disagreement[] },
): AuditVerdict {
  return {
    epochId: input.epochId,
    validator: input.validator,
    notes: [],
    facts: null,
    report: null,
    derived: null,
    ...partial,
    ok: partial.disagreements.length === 0,
  };
}

const whole = (field: string, reason: string): Disagreement => ({ miner: null, field, reason });

function parseFiles(
  input: AuditInput,
): { report?: ValidationReport; facts?: AuditFacts; problems: Disagreement[] } {
  const problems: Disagreement[] = [];
  const report = input.files.report === undefined
    ? undefined
    : ValidationReportSchema.safeParse(input.files.report);
  const facts = input.files.facts === undefined ? undefined : AuditFactsSchema.safeParse(input.files.facts);
  if (!report) problems.push(whole("report", "validation_report.json is not published"));
  else if (!report.success) {
    problems.push(whole("report", `validation_report.json is malformed: ${report.error.issues[0]?.message}`));
  }
  if (!facts) {
    problems.push(whole("facts", "audit/facts.json is not published: the report cannot be re-derived"));
  } else if (!facts.success) {
    problems.push(whole("facts", `audit/facts.json is malformed: ${facts.error.issues[0]?.message}`));
  }
  for (const [name, parsed] of [["report", report], ["facts", facts]] as const) {
    const data = parsed?.success ? parsed.data : null;
    if (data && (data.epochId !== input.epochId || data.validatorHotkey !== input.validator)) {
      problems.push(whole(name, `${name} names epoch ${data.epochId} of ${data.validatorHotkey}`));
    }
  }
  return {
    report: report?.success ? report.data : undefined,
    facts: facts?.success ? facts.data : undefined,
    problems,
  };
}

function entriesOf(json: unknown) {
  return json === undefined ? [] : parseEvidence(json).entries;
}

/** The evidence the validator merged, checked against the published files. */
function evidence(input: AuditInput, facts: AuditFacts, problems: Disagreement[], notes: string[]) {
  const own = entriesOf(input.evidenceOf(input.validator));
  if (canonicalSha256(own) !== facts.ownEvidenceSha256) {
    problems.push(
      whole("evidence", "its published evidence is not the evidence it merged (SHA-256 differs)"),
    );
  }
  const others: ValidatorEvidence[] = facts.merged.map((m) => {
    const entries = entriesOf(input.evidenceOf(m.validator));
    if (canonicalSha256(entries) !== m.sha256) {
      problems.push(
        whole("evidence", `the evidence of ${m.validator} it merged is not what ${m.validator} published`),
      );
    }
    if (m.stake !== (facts.validatorStakes[m.validator] ?? 1)) {
      problems.push(
        whole(
          "evidence",
          `${m.validator} merged with stake ${m.stake}, the facts say ${facts.validatorStakes[m.validator]}`,
        ),
      );
    }
    return { validator: m.validator, stake: m.stake, entries };
  });
  const merged = new Set(facts.merged.map((m) => m.validator));
  for (const v of facts.validators) {
    if (v !== input.validator && !merged.has(v) && input.evidenceOf(v) !== undefined) {
      notes.push(`${v} published evidence that was not merged (not readable at finalisation?)`);
    }
  }
  return { own: [...facts.rechecks, ...own], others };
}

/** The findings to derive from: recomputed where given (a miner the validator could not judge stays so). */
function findingsOf(input: AuditInput, facts: AuditFacts) {
  const r = input.recomputed;
  if (!r) return { findings: facts.findings, copies: new Map(Object.entries(facts.copies)) };
  const findings = facts.findings.map((f) => (f.notJudged ? f : r.findings.get(f.hotkey) ?? f));
  return { findings, copies: r.copies };
}

/** Audits one validator (see the module doc). */
export function auditValidator(input: AuditInput): AuditVerdict {
  const { report, facts, problems } = parseFiles(input);
  if (!report || !facts) {
    return verdict(input, { disagreements: problems, report: report ?? null, facts: facts ?? null });
  }
  if (!verifySeed(facts.seed, facts.assignment.seedCommitment)) {
    problems.push(whole("seed", "the seed does not match the assignment's commitment"));
  }
  const notes: string[] = [];
  const { own, others } = evidence(input, facts, problems, notes);
  const { findings, copies } = findingsOf(input, facts);
  let derived: Derived;
  try {
    derived = deriveReport({
      facts,
      findings,
      copies,
      own,
      others,
      params: facts.params,
      validatorHotkey: input.validator,
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.push(whole("facts", `the facts cannot be scored: ${error.message}`));
    return verdict(input, { disagreements: problems, notes, report, facts });
  }
  problems.push(...compareReports(report, derived.report, derived.merged));
  return verdict(input, { disagreements: problems, notes, report, facts, derived });
}

const FACT_FIELDS = [
  "assignment",
  "seed",
  "receipts",
  "partReceipts",
  "miners",
  "validators",
  "validatorStakes",
  "ownerUid",
  "params",
] as const;

/**
 * Facts every validator must hold identically (they come from the API, the chain and the protocol's knobs):
 * per validator whose facts differ from the majority's, one disagreement naming the fields. The
 * assignment's `status` is the API's view at the time of reading and is left out.
 */
export function factsDisagreements(verdicts: readonly AuditVerdict[]): Map<string, Disagreement[]> {
  const withFacts = verdicts.filter((v) => v.facts !== null);
  const value = (f: AuditFacts, field: (typeof FACT_FIELDS)[number]) =>
    canonicalSha256(field === "assignment" ? { ...f.assignment, status: null } : f[field]);
  const out = new Map<string, Disagreement[]>();
  for (const field of FACT_FIELDS) {
    const counts = new Map<string, number>();
    for (const v of withFacts) {
      counts.set(value(v.facts!, field), (counts.get(value(v.facts!, field)) ?? 0) + 1);
    }
    const [majority, n] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ["", 0];
    for (const v of withFacts) {
      if (value(v.facts!, field) === majority) continue;
      const list = out.get(v.validator) ?? [];
      list.push(
        whole(`facts.${field}`, `its ${field} differs from that of ${n} of ${withFacts.length} validators`),
      );
      out.set(v.validator, list);
    }
  }
  return out;
}
