// Speed earned per listing delivered, through the real judge path (issue 14): miners run the real epoch
// runner (one with UPLOAD_EARLY parts), the API issues one receipt per part, the validator gathers the
// receipted parts, credits each file to the earliest part naming it and scores the deliveries.
import { assert, assertEquals } from "../tests/assert.ts";
import { simFetcher } from "../tests/fixtures/listing_site/sim_fetcher.ts";
import { createNetwork, judgeDepsOf, mine } from "../tests/e2e/network_harness.ts";
import { epochById } from "../shared/epoch.ts";
import { deliveredSpeed } from "../shared/scoring.ts";
import { collectFacts, finalizeEpoch, judgeMiner, runSpotChecks } from "./judge.ts";

const EPOCH = "2025-10-01T16-00-00";
const MINUTE = 60_000;

Deno.test("judge: early parts earn speed per listing; one ZIP at 2 min < complete late < complete early < early parts", async () => {
  const net = await createNetwork(["honest", "honest", "honest", "honest"], 1);
  try {
    const [partial, parts, early, late] = net.miners;
    await net.t.advance(2 * MINUTE); // 16:32
    assertEquals((await mine(net, partial, { zipLimit: 1 })).status, "completed");
    // One ZIP per part: the first ZIP's part at 16:32, the second ZIP and the whole manifest at 17:30.
    assertEquals((await mine(net, parts, { earlyPartZips: 1, minutesPerZip: 58 })).status, "completed");
    assertEquals((await mine(net, early)).status, "completed"); // 17:30
    await net.t.advance(60 * MINUTE);
    assertEquals((await mine(net, late)).status, "completed"); // 18:30
    await net.t.advance(110 * MINUTE); // past the epoch's end

    const deps = judgeDepsOf(net, net.validators[0], simFetcher(net.market, "validator-0"), "v0");
    const facts = await collectFacts(deps, EPOCH);
    const partReceipts = facts.partReceipts!.filter((r) => r.hotkey === parts.pair.address);
    assert(
      partReceipts.length >= 1,
      `the parts miner has part receipts: ${JSON.stringify(facts.partReceipts)}`,
    );
    const findings = [];
    for (const miner of facts.miners) findings.push(await judgeMiner(deps, facts, miner));
    const evidence = await runSpotChecks(deps, facts, findings);
    await net.t.advance(3.5 * 60 * MINUTE);
    const report = await finalizeEpoch(deps, facts, findings, evidence);
    const verdict = (m: typeof partial) => report.miners.find((v) => v.hotkey === m.pair.address)!;
    for (const m of net.miners) assertEquals(verdict(m).reason, null, m.pair.address);

    // The parts miner's speed is exactly the per-listing credit of its receipts.
    const partsFindings = findings.find((f) => f.hotkey === parts.pair.address)!;
    assertEquals(partsFindings.integrity.at(-1)?.name, "parts");
    assert(partsFindings.integrity.at(-1)!.ok, partsFindings.integrity.at(-1)!.detail);
    const epoch = epochById(EPOCH, {
      epochSeconds: deps.config.EPOCH_SECONDS,
      uploadLeadSeconds: deps.config.UPLOAD_LEAD_SECONDS,
    });
    const whole = Date.parse(facts.receipts.find((r) => r.hotkey === parts.pair.address)!.receivedAt);
    const firstPart = Math.min(...partReceipts.map((r) => Date.parse(r.receivedAt)));
    assert(whole - firstPart >= 50 * MINUTE, "the first part came about an hour before the whole manifest");
    const perFile = partsFindings.checks!.perFile!;
    const expectedPerZip = Object.fromEntries(
      facts.assignment.zipcodes.map((z) => [z.zipcode, z.expectedListings]),
    );
    const byZip = (zip: string) => perFile.find((f) => f.zipcode === zip)!.forSale;
    const [zip1, zip2] = facts.assignment.zipcodes.map((z) => z.zipcode);
    assertEquals(
      verdict(parts).components.speed,
      deliveredSpeed(
        [
          { receivedAtMs: firstPart, uniqueValidPerZip: { [zip1]: byZip(zip1) } },
          { receivedAtMs: whole, uniqueValidPerZip: { [zip2]: byZip(zip2) } },
        ],
        partsFindings.checks!.counts.forSalePerZipcode!,
        { startMs: epoch.start, deadlineMs: epoch.submissionDeadline, expectedPerZip },
      ),
    );
    // Rows credited to the first part were scraped no later than its receipt (the data checks' bound).
    assert(partsFindings.checks!.checks.find((c) => c.name === "scraped_at")!.ok);

    const score = (m: typeof partial) => verdict(m).score;
    assert(verdict(parts).components.speed > verdict(early).components.speed, "parts beat the same whole");
    assert(
      score(partial) < score(late),
      `one ZIP at 2 min ${score(partial)} < complete later ${score(late)}`,
    );
    assert(score(late) < score(early), `complete later ${score(late)} < complete earlier ${score(early)}`);
    assert(score(early) < score(parts), `complete earlier ${score(early)} < early parts ${score(parts)}`);
    assertEquals([parts, early, late, partial].map((m) => verdict(m).rank), [1, 2, 3, 4]);
  } finally {
    await net.close();
  }
});
