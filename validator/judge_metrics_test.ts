// The judging gauges that the validator alerts read (api/alerts/zipmine.rules.yml):
// zipmine_validator_spot_checks_unknown_ratio (own evidence) and zipmine_validator_agreement_ratio (own
// conclusive outcomes confirmed by the merge with the other validators' evidence).
import { assert, assertEquals } from "../tests/assert.ts";
import { type EvidenceEntry, mergeEvidence } from "../shared/agreement.ts";
import { frozenMarket, simFetcher } from "../tests/fixtures/listing_site/sim_fetcher.ts";
import { createNetwork, judgeDepsOf, mine, NETWORK_ZIPS } from "../tests/e2e/network_harness.ts";
import {
  agreementRatio,
  collectFacts,
  finalizeEpoch,
  type JudgeDeps,
  judgeMiner,
  runSpotChecks,
  unknownShare,
} from "./judge.ts";

const e = (zpid: string, outcome: EvidenceEntry["outcome"], miner = "m"): EvidenceEntry => ({
  miner,
  zpid,
  outcome,
});
const SAMPLE = ["1", "2", "3", "4", "5"].map((zpid) => ({ miner: "m", zpid }));

Deno.test("unknownShare: the blocked share of own spot checks, null without any", () => {
  assertEquals(unknownShare([]), null);
  assertEquals(unknownShare([e("1", "valid"), e("2", "invalid")]), 0);
  assertEquals(
    unknownShare([e("1", "unknown"), e("2", "valid"), e("3", "unknown"), e("4", "unknown")]),
    0.75,
  );
});

const by = (...lists: EvidenceEntry[][]) =>
  lists.map((entries, i) => ({ validator: `v${i}`, stake: 1, entries }));

Deno.test("agreementRatio: 1 when the others decide as we do, lower when their majority differs or ties", () => {
  const own = [e("1", "valid"), e("2", "valid"), e("3", "invalid"), e("4", "valid"), e("5", "valid")];
  const agreeing = [e("1", "valid"), e("2", "valid"), e("3", "invalid"), e("4", "valid"), e("5", "valid")];
  assertEquals(agreementRatio(own, mergeEvidence(SAMPLE, own, by(agreeing))), 1);
  // Two others say 1 and 2 are invalid: their majority differs there, the other three agree.
  const other = [e("1", "invalid"), e("2", "invalid"), e("3", "invalid"), e("4", "valid"), e("5", "valid")];
  assertEquals(agreementRatio(own, mergeEvidence(SAMPLE, own, by(other, other))), 3 / 5);
  // Two others tied on 1: not compared; the other four agree.
  const tied = [e("1", "invalid"), e("2", "valid"), e("3", "invalid"), e("4", "valid"), e("5", "valid")];
  assertEquals(agreementRatio(own, mergeEvidence(SAMPLE, own, by(tied, agreeing))), 1);
});

Deno.test("agreementRatio: only checks both we and another validator decided are compared", () => {
  const own = [e("1", "valid"), e("2", "unknown"), e("3", "invalid"), e("4", "valid")];
  const other = [e("1", "invalid"), e("2", "valid"), e("3", "unknown"), e("5", "valid")];
  // 1 is the only check decided by both (they differ); 2 we did not decide, 3 the other did not.
  assertEquals(agreementRatio(own, mergeEvidence(SAMPLE, own, by(other))), 0);
  assertEquals(agreementRatio(own, mergeEvidence(SAMPLE, own, [])), null, "nobody to compare with");
  assertEquals(agreementRatio([], mergeEvidence(SAMPLE, [], by(other))), null);
  // A repeated own entry counts once, its first outcome, as mergeEvidence counts it.
  const repeated = [e("1", "valid"), e("1", "invalid")];
  assertEquals(agreementRatio(repeated, mergeEvidence(SAMPLE, repeated, by([e("1", "valid")]))), 1);
});

const EPOCH = "2025-10-01T16-00-00";

async function judgeAndPublish(deps: JudgeDeps) {
  const facts = await collectFacts(deps, EPOCH);
  const findings = [];
  for (const miner of facts.miners) findings.push(await judgeMiner(deps, facts, miner));
  return { facts, findings, evidence: await runSpotChecks(deps, facts, findings) };
}

Deno.test("judging sets the unknown-share and agreement gauges of each validator", async () => {
  const net = await createNetwork(["honest", "fabricator", "honest"]);
  try {
    for (const miner of net.miners) assertEquals((await mine(net, miner)).status, "completed");
    await net.t.advance(4 * 3_600_000);
    const lucky = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "validator-0"), "v0");
    const blocked = frozenMarket({
      seed: "network",
      zips: NETWORK_ZIPS,
      buildingShare: 0,
      blockRateByRoute: { detail: 0.3 },
    });
    const unlucky = judgeDepsOf(net, net.validators[1], simFetcher(blocked, "validator-1"), "v1");
    const judged = [await judgeAndPublish(lucky), await judgeAndPublish(unlucky)];
    const unknown = (deps: JudgeDeps) =>
      deps.metrics.gauge("zipmine_validator_spot_checks_unknown_ratio", "").get();
    assertEquals(unknown(lucky), unknownShare(judged[0].evidence));
    assertEquals(unknown(unlucky), unknownShare(judged[1].evidence));
    assert(unknown(unlucky)! > 0 && unknown(unlucky)! < 1, `unlucky unknown share ${unknown(unlucky)}`);
    assertEquals(lucky.metrics.gauge("zipmine_validator_agreement_ratio", "").get(), undefined);

    for (const [deps, { facts, findings, evidence }] of [[lucky, judged[0]], [unlucky, judged[1]]] as const) {
      await finalizeEpoch(deps, facts, findings, evidence);
      assertEquals(deps.metrics.gauge("zipmine_validator_agreement_validators", "").get(), 1);
      // Same code, same source: where both decided, they decided alike.
      assertEquals(deps.metrics.gauge("zipmine_validator_agreement_ratio", "").get(), 1);
    }
    assertEquals(
      lucky.metrics.render().match(/^zipmine_validator_agreement_ratio 1$/m)?.length,
      1,
      "rendered for Prometheus",
    );
  } finally {
    await net.close();
  }
});
