// The audit end to end: two validators (one with bad network luck) judge an epoch of honest and cheating
// miners in process, their public record is left on disk in the buckets' layout, and `verify` re-derives
// both reports from it (the miners' findings recomputed from their files); a report altered after
// publishing (one score, one rank, one weight, one spot-check outcome) is caught with the right reason.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { OUTPUT_FILES, validatorKey } from "../../shared/s3_keys.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import { finalizeEpoch } from "../../validator/judge.ts";
import { verifyEpoch } from "../../validator/audit/main.ts";
import { localRecord, writeRecordFile } from "../../validator/audit/source.ts";
import { publicApiRecord } from "../../validator/audit/remote_source.ts";
import { simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import {
  createNetwork,
  judge,
  judgeDepsOf,
  mine,
  type Network,
  NETWORK_EPOCH as EPOCH,
  networkMarket,
} from "../e2e/network_harness.ts";
import { canonicalJson } from "../../shared/canonical_json.ts";
import { auditValidator } from "../../shared/audit/audit.ts";
import type { AuditFacts } from "../../shared/schemas/audit.ts";

/** The first-ranked miner's verdict (the report lists miners by uid). */
const top = (r: ValidationReport) => r.miners.find((m) => m.rank === 1)!;
const HOUR = 3_600_000;

/** Both buckets written to `root` in their layout, as localnet leaves them. */
async function mirror(net: Network, root: string) {
  for (const bucket of [net.t.config.S3_BUCKET, net.t.config.S3_VALIDATOR_BUCKET]) {
    for (const key of net.t.presigner.keys(bucket)) {
      const object = net.t.presigner.getObject(bucket, key)!;
      await writeRecordFile(root, key, object.body, object.lastModified);
    }
  }
}

async function publishedEpoch() {
  const net = await createNetwork(["honest", "fabricator", "wrong_zip", "honest"]);
  for (const miner of net.miners) {
    if (miner.strategy === "honest" && miner !== net.miners[0]) await net.t.advance(HOUR);
    await mine(net, miner);
  }
  // Past the epoch's end (20:00): the validation window of the next epoch.
  await net.t.advance(Date.parse("2025-10-01T20:20:00Z") - net.t.deps.clock.now().getTime());
  const blocked = networkMarket({ blockRateByRoute: { detail: 0.7 } });
  const deps = [
    judgeDepsOf(net, net.validators[0], simFetcher(net.market, "validator-0"), "v0"),
    judgeDepsOf(net, net.validators[1], simFetcher(blocked, "validator-1"), "v1"),
  ];
  const judged = [await judge(deps[0]), await judge(deps[1])];
  await net.t.advance(3.5 * HOUR); // the finalisation moment
  for (const [i, d] of deps.entries()) {
    await finalizeEpoch(d, judged[i].facts, judged[i].findings, judged[i].evidence);
  }
  const root = `${net.dir}/record`;
  await mirror(net, root);
  return { net, root, deps, judged, validators: net.validators.map((v) => v.address).sort() };
}

Deno.test("verify: honest reports re-derive; each altered report is caught with its reason", async (t) => {
  const { net, root, deps, judged, validators } = await publishedEpoch();
  const reportPath = (v: string) => `${root}/${validatorKey(v, EPOCH, OUTPUT_FILES.report)}`;
  const readReport = async (v: string) =>
    JSON.parse(await Deno.readTextFile(reportPath(v))) as ValidationReport;
  try {
    await t.step(
      "both validators' records re-derive, from the miners' files and from the findings",
      async () => {
        for (const recompute of [true, false]) {
          const verdicts = await verifyEpoch(localRecord(root), EPOCH, { recompute });
          assertEquals(verdicts.map((v) => v.validator), validators);
          for (const v of verdicts) assertEquals([v.validator, v.disagreements], [v.validator, []]);
          const report = verdicts[0].report!;
          assert(report.miners.some((m) => m.rank === 1), "someone is ranked");
          assert(
            report.miners.some((m) => m.reason?.startsWith("fabricated listing confirmed")),
            "the fabricator is caught",
          );
        }
      },
    );

    const victim = validators[0];
    const original = await Deno.readTextFile(reportPath(victim));
    const alterations: [string, (r: ValidationReport) => void, string, RegExp][] = [
      ["one score", (r) => void (top(r).score += 1), "score", /^score: reported \d+, re-derived \d+$/],
      ["one rank", (r) => void (top(r).rank = 2), "rank", /^rank: reported 2, re-derived 1$/],
      [
        "one weight",
        (r) => void (top(r).weight -= 1000),
        "weight",
        /^weight: reported \d+, re-derived \d+$/,
      ],
      [
        "one spot-check outcome",
        (r) => {
          const check = top(r).spotChecks.find((c) => c.outcome === "valid")!;
          check.outcome = "invalid";
        },
        "spotChecks",
        /^spot check \d+: reported invalid, the published evidence gives valid \(own valid/,
      ],
    ];
    for (const [what, alter, field, reason] of alterations) {
      await t.step(`a report with ${what} altered after publishing is caught`, async () => {
        const report = await readReport(victim);
        const miner = top(report).hotkey;
        alter(report);
        await Deno.writeTextFile(reportPath(victim), canonicalJson(report));
        try {
          const verdicts = await verifyEpoch(localRecord(root), EPOCH, { recompute: false });
          const bad = verdicts.find((v) => v.validator === victim)!;
          assertEquals(bad.ok, false);
          const found = bad.disagreements.find((d) => d.field === field);
          assert(found, `${what}: ${JSON.stringify(bad.disagreements)}`);
          assertEquals(found.miner, miner);
          assertMatch(found.reason, reason);
          assert(verdicts.find((v) => v.validator !== victim)!.ok, "the other validator still re-derives");
        } finally {
          await Deno.writeTextFile(reportPath(victim), original);
        }
      });
    }

    await t.step(
      "a consistent lie about a miner's checks passes on the findings, not on the miners' files",
      async () => {
        const factsPath = `${root}/${validatorKey(victim, EPOCH, OUTPUT_FILES.audit)}`;
        const originalFacts = await Deno.readTextFile(factsPath);
        const facts = JSON.parse(originalFacts) as AuditFacts;
        const honest = top(await readReport(victim)).hotkey;
        const finding = facts.findings.find((f) => f.hotkey === honest)!;
        finding.zeroReason = "stamp: another nonce: 3 rows";
        const record = localRecord(root);
        const evidence = new Map<string, unknown>();
        for (const v of validators) evidence.set(v, await record.output(v, EPOCH, OUTPUT_FILES.evidence));
        // The liar re-derives its report from its doctored findings, so report and facts agree.
        const lie = auditValidator({
          epochId: EPOCH,
          validator: victim,
          files: { report: JSON.parse(original), facts },
          evidenceOf: (v) => evidence.get(v),
        }).derived!.report;
        await Deno.writeTextFile(factsPath, canonicalJson(facts));
        await Deno.writeTextFile(reportPath(victim), canonicalJson(lie));
        try {
          const light = await verifyEpoch(record, EPOCH, { recompute: false });
          assert(light.find((v) => v.validator === victim)!.ok, "consistent with its own findings");
          const full = (await verifyEpoch(record, EPOCH, { recompute: true })).find((v) =>
            v.validator === victim
          )!;
          assertEquals(full.ok, false);
          const reason = full.disagreements.find((d) => d.miner === honest && d.field === "reason")!;
          assertEquals(reason.reason, 'reason: reported "stamp: another nonce: 3 rows", re-derived null');
        } finally {
          await Deno.writeTextFile(factsPath, originalFacts);
          await Deno.writeTextFile(reportPath(victim), original);
        }
      },
    );

    await t.step(
      "deno task verify exits 0 on the honest record and 1 with reasons on an altered one",
      async () => {
        const run = async () => {
          const out = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", "validator/audit/main.ts", "--dir", root, "--epoch", EPOCH],
            stdout: "piped",
            stderr: "piped",
          }).output();
          return {
            code: out.code,
            text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
          };
        };
        const honest = await run();
        assertEquals(honest.code, 0, honest.text);
        assertMatch(honest.text, /OK {4}5\w+ re-derives/);
        const report = await readReport(victim);
        const miner = top(report).hotkey;
        top(report).score += 1;
        await Deno.writeTextFile(reportPath(victim), canonicalJson(report));
        const altered = await run();
        assertEquals(altered.code, 1, altered.text);
        assertMatch(
          altered.text,
          new RegExp(`FAIL  ${victim}: 1 disagreement\\n +miner ${miner}: score: reported`),
        );
        await Deno.writeTextFile(reportPath(victim), original);
      },
    );

    await t.step(
      "a validator whose own report does not re-derive fails loudly and publishes nothing",
      async () => {
        const state = `${deps[0].stateDir}/epochs/${EPOCH}`;
        const stored = JSON.parse(await Deno.readTextFile(`${state}/report.json`)) as ValidationReport;
        top(stored).weight += 1; // a bug between scoring and publishing
        await Deno.writeTextFile(`${state}/report.json`, JSON.stringify(stored));
        await Deno.remove(`${state}/published.json`);
        const key = validatorKey(deps[0].pair.address, EPOCH, OUTPUT_FILES.report);
        const before = net.t.presigner.getObject(net.t.config.S3_VALIDATOR_BUCKET, key)!.body;
        const { facts, findings, evidence } = judged[0];
        let error: unknown;
        await finalizeEpoch(deps[0], facts, findings, evidence).catch((e) => (error = e));
        assertMatch(String(error), /does not re-derive/);
        assertMatch(deps[0].metrics.render(), /zipmine_validator_self_audit_total\{outcome="failed"\} 1/);
        assertEquals(net.t.presigner.getObject(net.t.config.S3_VALIDATOR_BUCKET, key)!.body, before);
      },
    );

    await t.step(
      "the API's public record opens when the validation window closes; verify reads it",
      async () => {
        const path = `/api/v1/public-record/${EPOCH}`;
        const early = await net.t.app.request(path);
        assertEquals(early.status, 403);
        assertMatch((await early.json()).message ?? "", /opens at 2025-10-02T00:00:00.000Z/);
        await net.t.advance(HOUR);
        const fetcher = ((input: string | URL | Request, init?: RequestInit) => {
          const url = String(input instanceof Request ? input.url : input);
          return url.startsWith("http://api.test")
            ? Promise.resolve(net.t.app.request(url.replace("http://api.test", ""), init))
            : net.t.presigner.fetch(input, init);
        }) as typeof fetch;
        const verdicts = await verifyEpoch(publicApiRecord("http://api.test", fetcher), EPOCH, {
          recompute: true,
        });
        assertEquals(verdicts.map((v) => [v.validator, v.ok]), validators.map((v) => [v, true]));
        const later = await net.t.app.request(
          `/api/v1/public-record/2025-10-02T00-00-00/miners/${net.miners[0].pair.address}`,
        );
        assertEquals(later.status, 403, "the next epoch's files stay closed");
      },
    );

    await t.step(
      "the dashboard's judged epoch shows per validator whether its report re-derives",
      async () => {
        const [honest, altered] = validators;
        const key = validatorKey(altered, EPOCH, OUTPUT_FILES.report);
        const report = await readReport(altered);
        top(report).score += 1;
        net.t.presigner.putObject(net.t.config.S3_VALIDATOR_BUCKET, key, canonicalJson(report));
        const body = await (await net.t.app.request("/api/v1/dashboard/epochs")).json();
        const epoch = body.epochs.find((e: { id: string }) => e.id === EPOCH);
        const audit = (hk: string) => epoch.validators.find((v: { hotkey: string }) => v.hotkey === hk).audit;
        assertEquals(audit(honest), { rederives: true, disagreements: 0, first: null });
        assertEquals(audit(altered).rederives, false);
        assertMatch(audit(altered).first, /^score: reported \d+, re-derived \d+$/);
        assertEquals(
          body.auditHistory.map((h: { hotkey: string; epochs: unknown[] }) => [h.hotkey, h.epochs]),
          [[honest, [{ id: EPOCH, rederives: true }]], [altered, [{ id: EPOCH, rederives: false }]]],
        );
      },
    );
  } finally {
    await net.close();
  }
});
