/**
 * Full verification: each miner's findings recomputed from its files in the public record by the
 * validator's own `judgeMiner` (gather, integrity, DuckDB data checks) and `copiesOf`, under the knobs the
 * validator published. Miners' files are the same for every validator, so this runs once per distinct set
 * of facts. The downloads go to a temporary folder that is removed afterwards.
 * @module
 */
import { canonicalSha256 } from "../../shared/canonical_json.ts";
import { parseValidatorConfig, type ValidatorConfig } from "../config.ts";
import { createRegistry } from "../../shared/metrics.ts";
import type { AuditFacts, AuditFinding } from "../../shared/schemas/audit.ts";
import { copiesOf, type EpochFactsRecord, judgeMiner, type MinerFindings } from "../judge.ts";
import type { RecordSource } from "./source.ts";

/** Findings and copy verdicts recomputed from the miners' files. */
export interface Recomputed {
  findings: ReadonlyMap<string, AuditFinding>;
  copies: ReadonlyMap<string, string>;
}

/** Recomputes per distinct facts (assignment, receipts, miners, knobs), caching the result. */
export function createRecomputer(source: RecordSource) {
  const cache = new Map<string, Promise<Recomputed>>();
  return (facts: AuditFacts): Promise<Recomputed> => {
    const key = canonicalSha256([
      facts.assignment,
      facts.receipts,
      facts.partReceipts,
      facts.miners,
      facts.params,
    ]);
    if (!cache.has(key)) cache.set(key, recompute(source, facts));
    return cache.get(key)!;
  };
}

async function recompute(source: RecordSource, facts: AuditFacts): Promise<Recomputed> {
  const config: ValidatorConfig = { ...parseValidatorConfig({}), ...facts.params };
  const stateDir = await Deno.makeTempDir({ prefix: "zipmine-verify-" });
  const record: EpochFactsRecord = {
    ...facts,
    receipts: [...facts.receipts],
    ...(facts.partReceipts ? { partReceipts: [...facts.partReceipts] } : {}),
  };
  const deps = { ...source.miners, config, stateDir, metrics: createRegistry() };
  try {
    const findings: MinerFindings[] = [];
    for (const miner of facts.miners) findings.push(await judgeMiner(deps, record, miner));
    const copies = await copiesOf(deps, record, findings);
    return { findings: new Map(findings.map((f) => [f.hotkey, f])), copies };
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}
