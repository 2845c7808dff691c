/**
 * Setting weights: every tempo, the weights of the last finalised epoch whose scores are due (epoch N's
 * from the start of N+2, `weightsEpochAt`), converted to the chain's u16 vectors exactly as the SDK does,
 * through the chain adapter. Failures are logged with the chain's error name and counted; the next tempo
 * tries again.
 * @module
 */
import { weightsEpochAt } from "../shared/epoch.ts";
import type { Logger } from "../shared/log.ts";
import type { Registry } from "../shared/metrics.ts";
import type { ChainAdapter, SetWeightsResult } from "../shared/ports.ts";
import type { ValidationReport } from "../shared/schemas/report.ts";
import type { KeyringPair } from "../shared/signature.ts";
import { reportToU16 } from "../shared/weights_u16.ts";

// Moved to the protocol core so the audit (`shared/audit/`) and the dashboard compute the same vector.
export { reportToU16 };

/** What weight setting needs. */
export interface WeightsDeps {
  chain: ChainAdapter;
  netuid: number;
  pair: KeyringPair;
  epochOptions: { epochSeconds: number; uploadLeadSeconds: number };
  /** The finalised report of an epoch, or null. */
  reportOf: (epochId: string) => Promise<ValidationReport | null>;
  log: Logger;
  metrics: Registry;
}

/** Sets the weights due at `nowMs`; returns what happened (null when no report is due or ready). */
export async function setDueWeights(deps: WeightsDeps, nowMs: number): Promise<SetWeightsResult | null> {
  const due = weightsEpochAt(nowMs, deps.epochOptions);
  if (!due) return null;
  const report = await deps.reportOf(due.id);
  if (!report) {
    deps.log.warn("no finalised report for the epoch whose weights are due", { epochId: due.id });
    return null;
  }
  const vector = reportToU16(report);
  if (vector.uids.length === 0) {
    deps.log.warn("nothing to set: no miner earned weight and nothing is burned", { epochId: due.id });
    return null;
  }
  const result = await deps.chain.setWeights(deps.netuid, vector, deps.pair);
  deps.metrics.counter("zipmine_validator_weights_total", "Weight settings, by outcome")
    .inc({ outcome: result.ok ? "set" : result.error });
  if (result.ok) {
    deps.metrics.gauge(
      "zipmine_validator_last_weights_timestamp_seconds",
      "Unix time of the last weights set",
    )
      .set(Math.floor(nowMs / 1000));
    deps.log.info("weights set", {
      epochId: due.id,
      block: result.block,
      mode: result.mode,
      via: result.via,
      uids: vector.uids.length,
    });
  } else deps.log.warn("weights refused by the chain", { epochId: due.id, error: result.error });
  return result;
}
