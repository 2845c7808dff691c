// The smart cheats of issue 14 end to end, in process (fake clock), through the real epoch runner,
// crawler and validator code: every liar scores exactly 0, the partial miner stays below the complete
// honest ones, only one of three sybil hotkeys scores, and a lying validator (every conclusive outcome
// published flipped) bends neither honest validator's weights. The same strategies run as processes in
// `deno task localnet --roster adversarial`.
import { assert, assertEquals } from "../assert.ts";
import { canonicalJson } from "../../shared/canonical_json.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import {
  collectFacts,
  finalizeEpoch,
  type JudgeDeps,
  judgeMiner,
  runSpotChecks,
} from "../../validator/judge.ts";
import { strategyUpload } from "../../validator/strategies.ts";
import { simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import type { MinerStrategy } from "../../miner/strategies.ts";
import { createNetwork, judgeDepsOf, mine } from "./network_harness.ts";

const EPOCH = "2025-10-01T16-00-00";
const HOUR = 3_600_000;
// Not the padder: the frozen market's clock (2026-03) is months after this network's (2025-10), so its
// pending homes were still for sale, or not yet listed, on the claim's day, and its claims pass here;
// localnet, where the clocks agree, has it.
const LIARS: MinerStrategy[] = ["filler", "tamperer", "twin_fabricator", "restamper"];

async function judge(deps: JudgeDeps) {
  const facts = await collectFacts(deps, EPOCH);
  const findings = [];
  for (const miner of facts.miners) findings.push(await judgeMiner(deps, facts, miner));
  return { facts, findings, evidence: await runSpotChecks(deps, facts, findings) };
}

async function finalize(deps: JudgeDeps): Promise<ValidationReport> {
  const { facts, findings, evidence } = await judge(deps);
  return await finalizeEpoch(deps, facts, findings, evidence);
}

Deno.test("smart cheats score 0, partial and sybil work stay below honest work, a lying validator bends nothing", async () => {
  const net = await createNetwork([
    "honest",
    "partial_fast",
    "filler",
    "tamperer",
    "twin_fabricator",
    "twin_fabricator",
    "restamper",
    "sybil",
    "sybil",
    "sybil",
    "honest",
  ], 3);
  try {
    for (const miner of net.miners) {
      // The fast honest and the partial miner first, the others a minute later, the slow honest one an hour.
      if (miner === net.miners[2]) await net.t.advance(60_000);
      if (miner === net.miners[net.miners.length - 1]) await net.t.advance(HOUR);
      assertEquals((await mine(net, miner)).status, "completed", miner.strategy);
    }
    // Past the epoch's end (20:00): the validation window of the next epoch.
    await net.t.advance(Date.parse("2025-10-01T20:05:00Z") - net.t.deps.clock.now().getTime());
    // Two honest validators that reach every page (the blocked case is agreement_test's and localnet's)
    // and a liar of equal stake: each honest one trusts what it saw itself.
    const [a, b, liar] = net.validators.map((pair, i) => {
      const deps = judgeDepsOf(net, pair, simFetcher(net.market, `validator-${i}`), `v${i}`);
      return i === 2 ? { ...deps, upload: strategyUpload("lying", deps.upload) } : deps;
    });
    for (const deps of [a, b, liar]) await judge(deps);
    await net.t.advance(3.5 * HOUR);
    const reports = [await finalize(a), await finalize(b), await finalize(liar)];
    assertEquals(
      canonicalJson(reports[0].weights),
      canonicalJson(reports[1].weights),
      "honest validators agree",
    );

    const verdicts = (strategy: MinerStrategy) =>
      net.miners.filter((m) => m.strategy === strategy).map((m) =>
        reports[0].miners.find((v) => v.hotkey === m.pair.address)!
      );
    const [fast, slow] = verdicts("honest");
    assert(fast.score > 0 && slow.score > 0, "honest miners score");
    assertEquals(fast.rank, 1, "the fastest complete honest miner ranks first");
    for (const strategy of LIARS) {
      for (const v of verdicts(strategy)) {
        assertEquals([strategy, v.score, v.weight], [strategy, 0, 0], `${strategy}: ${v.reason}`);
      }
    }
    const [partial] = verdicts("partial_fast");
    assert(partial.score < slow.score, `partial ${partial.score} below the slow honest miner ${slow.score}`);
    const sybils = verdicts("sybil");
    assertEquals(sybils.filter((v) => v.score > 0).length, 1, "one sybil hotkey scores");
    assert(sybils.every((v) => v.score < fast.score), "the sybil below the fast honest miner");
  } finally {
    await net.close();
  }
});
