// The dashboard's routes over the dashboard fixture: the JSON bodies against their schemas, the page built
// from the same data, the caches, a missing validator bucket, and no secret anywhere.
import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { parseDocument } from "../../tests/sim/page_reader.ts";
import { canonicalJson } from "../../shared/canonical_json.ts";
import { OUTPUT_FILES, validatorKey } from "../../shared/s3_keys.ts";
import { DashboardCurrentSchema, DashboardEpochsSchema } from "../../shared/schemas/dashboard.ts";
import { createDashboardFixture } from "../../tests/harness/dashboard_fixture.ts";

const CURRENT = "/api/v1/dashboard/current";
const EPOCHS = "/api/v1/dashboard/epochs";

async function get(f: Awaited<ReturnType<typeof createDashboardFixture>>, path: string) {
  const res = await f.t.app.request(path);
  return { status: res.status, text: await res.text() };
}

Deno.test("GET /api/v1/dashboard/current: the running epoch, its ZIP codes and miner progress", async () => {
  const f = await createDashboardFixture();
  try {
    const { status, text } = await get(f, CURRENT);
    assertEquals(status, 200);
    const body = DashboardCurrentSchema.parse(JSON.parse(text));
    assertEquals(body.epoch.id, f.running.epochId);
    assertEquals(body.epoch.submissionDeadline, new Date(f.running.deadlineMs).toISOString());
    assertEquals(body.epoch.expectedListings, f.running.totalExpected);
    assertEquals(body.zipcodes.map((z) => z.zipcode), f.running.zipcodes.map((z) => z.zipcode));
    assertEquals(body.miners, { inProgress: 1, completed: 1, failed: 0, timedOut: 0, receipts: 1 });
  } finally {
    f.t.close();
  }
});

Deno.test("GET /api/v1/dashboard/epochs: ended epochs, newest first, with winners, scores, reasons, agreement", async () => {
  const f = await createDashboardFixture();
  try {
    const { status, text } = await get(f, EPOCHS);
    assertEquals(status, 200);
    const body = DashboardEpochsSchema.parse(JSON.parse(text));
    assertEquals(body.reportsAvailable, true);
    assertEquals(body.epochs.map((e) => e.id), f.ended.map((p) => p.epochId).reverse());
    const [awaiting, latest, first] = body.epochs;
    assertEquals([awaiting.judged, awaiting.validatedListings, awaiting.miners], [false, null, []]);

    const { miner, miner2, validator, poorValidator } = f.t.pairs;
    assertEquals(latest.referenceValidator, validator.address, "the validator with the most stake");
    assertEquals(latest.validators.map((v) => [v.hotkey, v.stake]), [
      [validator.address, 25_000],
      [poorValidator.address, 500],
    ]);
    assertEquals(latest.winners, [
      { hotkey: miner2.address, rank: 1, share: 0.6 },
      { hotkey: miner.address, rank: 2, share: 0.35 },
    ]);
    assertEquals(latest.burnShare, 0.05);
    // The two verdicts move 1 % of the weight from the winner to the runner-up.
    assert(Math.abs(latest.agreement! - 0.99) < 1e-9, `agreement ${latest.agreement}`);
    assertEquals(latest.validatedListings, Math.round(f.ended[1].totalExpected * 0.9));
    const cheat = latest.miners.at(-1)!;
    assertEquals([cheat.hotkey, cheat.rank, cheat.score, cheat.failedChecks], [f.cheat, null, 0, [
      "spot_checks",
    ]]);
    assertEquals(cheat.reason, "stamp: rows carry another nonce than [redacted]");
    assertEquals(first.miners.map((m) => m.rank), [1, 2, null]);
    assertMatch(
      first.miners[2].reason!,
      /^fabricated listings: 3 of 4 spot checks invalid \(first in "data\//,
    );

    const one = DashboardEpochsSchema.parse(JSON.parse((await get(f, `${EPOCHS}?limit=1`)).text));
    assertEquals(one.epochs.map((e) => e.id), [awaiting.id]);
    for (const bad of ["0", "25", "two"]) {
      const res = await get(f, `${EPOCHS}?limit=${bad}`);
      assertEquals(res.status, 400);
      assertMatch(JSON.parse(res.text).detail, new RegExp(`Invalid limit "${bad}"`));
    }
  } finally {
    f.t.close();
  }
});

Deno.test("GET / renders every panel from the same data, and no page or body shows a nonce or a seed", async () => {
  const f = await createDashboardFixture();
  try {
    const page = await get(f, "/");
    assertEquals(page.status, 200);
    const doc = parseDocument(page.text);
    const zips = f.running.zipcodes.map((z) => z.zipcode);
    assertEquals(
      [...doc.querySelectorAll("#zipcodes tr[data-zip]")].map((r) => r.getAttribute("data-zip")),
      zips,
    );
    assertEquals(
      [...doc.querySelectorAll("circle.zip-dot")].map((d) => d.getAttribute("data-zip")).sort(),
      [...zips].sort(),
    );
    assertEquals(
      doc.querySelector("[data-countdown]")!.getAttribute("data-countdown"),
      String(f.running.deadlineMs),
    );
    assertEquals(doc.querySelector("[data-countdown]")!.textContent, "3h 15m 00s");
    assertEquals(doc.querySelector('[data-live="miners.completed"]')!.textContent, "1");
    assertEquals([...doc.querySelectorAll("details.verdict")].map((d) => d.getAttribute("data-epoch")), [
      f.ended[2].epochId,
      f.ended[1].epochId,
      f.ended[0].epochId,
    ]);
    assertEquals(doc.querySelectorAll(".bar-chart rect.bar").length, 5, "3 expected bars, 2 validated");
    assertEquals(doc.querySelectorAll(".rank-chart g.rank-line").length, 2);

    const bodies = [page.text, (await get(f, CURRENT)).text, (await get(f, EPOCHS)).text];
    for (const secret of f.secrets) {
      for (const body of bodies) {
        assert(!body.includes(secret), `a dashboard body shows the secret ${secret}`);
      }
    }
    assertMatch(page.text, /another nonce than \[redacted\]/);
  } finally {
    f.t.close();
  }
});

Deno.test("both dashboard bodies are documented in /openapi.json", async () => {
  const f = await createDashboardFixture();
  try {
    const doc = JSON.parse((await get(f, "/openapi.json")).text);
    const current = doc.paths[CURRENT].get;
    const epochs = doc.paths[EPOCHS].get;
    assertEquals([current.tags, epochs.tags], [["Dashboard"], ["Dashboard"]]);
    assertEquals(epochs.parameters.map((p: { name: string }) => p.name), ["limit"]);
    assert(current.responses["200"].content["application/json"].schema.properties.zipcodes);
    assert(epochs.responses["200"].content["application/json"].schema.properties.epochs);
  } finally {
    f.t.close();
  }
});

Deno.test("new verdicts show after the cache lifetime; invalid or half-published ones never do", async () => {
  const f = await createDashboardFixture();
  try {
    const bucket = f.t.config.S3_VALIDATOR_BUCKET;
    const awaiting = f.ended[2];
    const judged = async () =>
      DashboardEpochsSchema.parse(JSON.parse((await get(f, EPOCHS)).text)).epochs[0].validators.map((v) =>
        v.hotkey
      );
    assertEquals(await judged(), []);

    const { validator, poorValidator } = f.t.pairs;
    // A copy of another epoch's verdict, a report without its metadata, and a stray folder.
    const older = (name: string) =>
      f.t.presigner.getObject(bucket, validatorKey(validator.address, f.ended[1].epochId, name))!.body;
    f.t.presigner.putObject(
      bucket,
      validatorKey(validator.address, awaiting.epochId, OUTPUT_FILES.report),
      older(OUTPUT_FILES.report),
    );
    f.t.presigner.putObject(
      bucket,
      validatorKey(validator.address, awaiting.epochId, OUTPUT_FILES.metadata),
      older(OUTPUT_FILES.metadata),
    );
    const report = JSON.parse(new TextDecoder().decode(older(OUTPUT_FILES.report)));
    f.t.presigner.putObject(
      bucket,
      validatorKey(poorValidator.address, awaiting.epochId, OUTPUT_FILES.report),
      canonicalJson({ ...report, epochId: awaiting.epochId, validatorHotkey: poorValidator.address }),
    );
    f.t.presigner.putObject(bucket, "validators/not-a-hotkey/epoch=x/validation_report.json", "{}");
    await f.t.advance(61_000);
    assertEquals(await judged(), []);
    assert(f.t.logLines.some((l) => l.includes("ignoring an invalid published verdict")));

    // The real verdict arrives; the cached answers hold until their lifetimes end.
    const metadata = JSON.parse(new TextDecoder().decode(older(OUTPUT_FILES.metadata)));
    f.t.presigner.putObject(
      bucket,
      validatorKey(poorValidator.address, awaiting.epochId, OUTPUT_FILES.metadata),
      canonicalJson({ ...metadata, epochId: awaiting.epochId, validatorHotkey: poorValidator.address }),
    );
    assertEquals(await judged(), []);
    await f.t.advance(61_000);
    assertEquals(await judged(), [poorValidator.address]);
  } finally {
    f.t.close();
  }
});

Deno.test("an unreadable validator bucket still serves the epochs and the page, flagged", async () => {
  const f = await createDashboardFixture();
  try {
    f.t.presigner.deleteBucket(f.t.config.S3_VALIDATOR_BUCKET);
    const body = DashboardEpochsSchema.parse(JSON.parse((await get(f, EPOCHS)).text));
    assertEquals(body.reportsAvailable, false);
    assertEquals(body.epochs.map((e) => e.judged), [false, false, false]);
    const page = await get(f, "/");
    assertEquals(page.status, 200);
    assertMatch(page.text, /reports cannot be read right now/);
    assert(f.t.logLines.some((l) => l.includes("validator reports unreadable")));
  } finally {
    f.t.close();
  }
});
