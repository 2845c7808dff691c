// Validators judge a whole epoch of honest and cheating miners end to end (in process, fake clock):
// every cheat scores exactly 0 with its reason, honest miners stay above 0 with the faster one first, two
// validators with different network luck publish identical weights, and the weights land on the chain.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { canonicalJson } from "../../shared/canonical_json.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import { collectFacts, judgeMiner } from "../../validator/judge.ts";
import { setDueWeights } from "../../validator/weights.ts";
import { createLogger } from "../../shared/log.ts";
import { createRegistry } from "../../shared/metrics.ts";
import { simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import {
  createNetwork,
  finalize,
  judge,
  judgeDepsOf,
  mine,
  type Network,
  NETWORK_EPOCH as EPOCH,
  networkMarket,
} from "./network_harness.ts";

const HOUR = 3_600_000;

function verdictOf(report: ValidationReport, net: Network, strategy: string, index = 0) {
  const miner = net.miners.filter((m) => m.strategy === strategy)[index];
  return report.miners.find((m) => m.hotkey === miner.pair.address)!;
}

Deno.test("validators zero every cheat, keep honest miners above 0, agree, and set weights", async () => {
  const net = await createNetwork([
    "honest",
    "fabricator",
    "wrong_zip",
    "nonceless",
    "stale",
    "duplicator",
    "honest",
    "late",
  ]);
  try {
    // 16:30 the fast honest miner, then the cheaters, then (an hour later) the slow honest one, then late.
    for (const miner of net.miners) {
      if (miner.strategy === "honest" && miner !== net.miners[0]) await net.t.advance(HOUR);
      // The API issues no upload policy after the deadline, so the late miner never gets its files in.
      const expected = miner.strategy === "late" ? "missed_deadline" : "completed";
      assertEquals((await mine(net, miner)).status, expected, miner.strategy);
    }
    await net.t.advance(20 * 60_000); // past the epoch's end: the validation window of the next epoch
    const lucky = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "validator-0"), "v0");
    const blockedMarket = networkMarket({ blockRateByRoute: { detail: 0.7 } });
    const unlucky = judgeDepsOf(net, net.validators[1], simFetcher(blockedMarket, "validator-1"), "v1");
    await judge(lucky);
    await judge(unlucky);
    const ownUnknown =
      (JSON.parse(await Deno.readTextFile(`${net.dir}/validators/v1/epochs/${EPOCH}/evidence.json`)) as {
        outcome: string;
      }[]).filter((e) => e.outcome === "unknown").length;
    assert(ownUnknown > 0, "the unlucky validator was blocked on some spot checks");

    await net.t.advance(3.5 * HOUR); // the fixed finalisation moment: 15 minutes before the window ends
    const a = await finalize(lucky);
    const b = await finalize(unlucky);
    assertEquals(
      canonicalJson(a.weights),
      canonicalJson(b.weights),
      "both validators reach the same weights",
    );
    assertEquals(
      canonicalJson(a.miners.map((m) => [m.hotkey, m.score, m.reason])),
      canonicalJson(b.miners.map((m) => [m.hotkey, m.score, m.reason])),
    );

    const honestFast = verdictOf(a, net, "honest", 0);
    const honestSlow = verdictOf(a, net, "honest", 1);
    assert(honestFast.score > 0 && honestSlow.score > 0, "honest miners score above 0");
    assertEquals(honestFast.rank, 1, "the fast honest miner ranks first");
    assert(honestSlow.rank! > 1);
    const reasons: [string, RegExp][] = [
      ["fabricator", /^fabricated listing confirmed/],
      ["wrong_zip", /^zipcodes: /],
      ["nonceless", /^stamp: /],
      ["stale", /^scraped_at: /],
      ["duplicator", /^duplicates: /],
      ["late", /^no submission$/],
    ];
    for (const [strategy, reason] of reasons) {
      const verdict = verdictOf(a, net, strategy);
      assertEquals([strategy, verdict.score, verdict.weight], [strategy, 0, 0]);
      assertMatch(verdict.reason ?? "", reason);
    }
    assertEquals(a.miners.find((m) => m.hotkey === net.t.pairs.miner.address)?.reason, "no submission");

    // From the start of epoch N+2 the weights of N are due; both validators set them.
    await net.t.advance(HOUR);
    for (const [pair, deps] of [[net.validators[0], lucky], [net.validators[1], unlucky]] as const) {
      const result = await setDueWeights({
        chain: net.chain,
        netuid: 46,
        pair,
        epochOptions: { epochSeconds: 14_400, uploadLeadSeconds: 900 },
        reportOf: async (id) => (id === EPOCH ? await finalize(deps) : null),
        log: createLogger({ sink: () => {}, clock: net.t.deps.clock }),
        metrics: createRegistry(),
      }, net.t.deps.clock.now().getTime());
      assertEquals(result?.ok, true, JSON.stringify(result));
    }
    const onChain = await net.chain.weights(46);
    const vectors = onChain.map((w) => canonicalJson({ uids: w.uids, values: w.values }));
    assertEquals(vectors.length, 2);
    assertEquals(vectors[0], vectors[1]);
    // The vector on chain, recomputed from the report without reportToU16: every paid uid (the burn
    // included) scaled so the largest is 65535; the honest miners are on it, no cheater is.
    const paid = new Map<number, number>();
    for (const m of a.miners) if (m.uid !== null && m.weight > 0) paid.set(m.uid, m.weight);
    if (a.burn && a.burn.weight > 0) paid.set(a.burn.uid, (paid.get(a.burn.uid) ?? 0) + a.burn.weight);
    const uids = [...paid.keys()].sort((x, y) => x - y);
    const max = Math.max(...paid.values());
    assertEquals(
      { uids: onChain[0].uids, values: onChain[0].values },
      { uids, values: uids.map((uid) => Math.round((paid.get(uid)! * 65_535) / max)) },
    );
    assert(uids.includes(honestFast.uid!) && uids.includes(honestSlow.uid!), "honest miners are paid");
    for (const [strategy] of reasons) assert(!uids.includes(verdictOf(a, net, strategy).uid!), strategy);
    const summary = await net.chain.consensus(46);
    assert((summary.agreement ?? 0) >= 0.99, `agreement ${summary.agreement}`);
  } finally {
    await net.close();
  }
});

Deno.test("a validator killed mid-judgement produces the same report after a restart", async () => {
  const net = await createNetwork(["honest", "fabricator", "honest"]);
  try {
    for (const miner of net.miners) assertEquals((await mine(net, miner)).status, "completed");
    await net.t.advance(4 * HOUR);
    const once = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "v"), "once");
    const twice = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "v"), "twice");
    // "twice" stops after its first miner (a kill), then a fresh process resumes from its stored phases.
    const facts = await collectFacts(twice, EPOCH);
    await judgeMiner(twice, facts, facts.miners[0]);
    const resumed = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "v"), "twice");
    const a = await finalize(once);
    const b = await finalize(resumed);
    assertEquals(canonicalJson({ ...a, validatorHotkey: "" }), canonicalJson({ ...b, validatorHotkey: "" }));
    assertEquals(
      canonicalJson(await finalize(resumed)),
      canonicalJson(b),
      "finalising again changes nothing",
    );
  } finally {
    await net.close();
  }
});
