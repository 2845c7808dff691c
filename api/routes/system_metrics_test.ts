// GET /metrics sets, at scrape time, the gauges the ZipmineEpochPlanMissing and ZipmineTargetBandMissed alerts
// read (api/alerts/zipmine.rules.yml): whether the next epoch is planned, how far away its boundary is, and
// whether the running epoch's plan misses the target band.
import { assertEquals, assertMatch } from "../../tests/assert.ts";
import { createTestApi } from "../../tests/harness/api_harness.ts";

const HOUR = 3_600_000;
const EPOCH_START = Date.UTC(2025, 9, 1, 16); // the harness starts at 16:30 in the 16:00-20:00 epoch

function gauge(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

Deno.test("/metrics: the next epoch is unplanned until the planner runs within PLAN_LEAD_SECONDS", async () => {
  const t = await createTestApi();
  try {
    let res = await t.app.request("/metrics");
    assertEquals(res.status, 200);
    let text = await res.text();
    assertEquals(gauge(text, "zipmine_api_seconds_until_next_epoch"), 3.5 * 3600);
    assertEquals(gauge(text, "zipmine_api_next_epoch_planned"), 0);
    assertMatch(text, /# TYPE zipmine_api_next_epoch_planned gauge/);

    // Too early: planAhead does nothing before the lead.
    t.setNow(EPOCH_START + 3 * HOUR);
    await t.planner.planAhead();
    text = await (await t.app.request("/metrics")).text();
    assertEquals(gauge(text, "zipmine_api_seconds_until_next_epoch"), 3600);
    assertEquals(gauge(text, "zipmine_api_next_epoch_planned"), 0);

    // 10 minutes before the boundary (inside the 900 s lead) the minute job plans the next epoch.
    t.setNow(EPOCH_START + 4 * HOUR - 600_000);
    await t.planner.planAhead();
    res = await t.app.request("/metrics");
    text = await res.text();
    assertEquals(gauge(text, "zipmine_api_seconds_until_next_epoch"), 600);
    assertEquals(gauge(text, "zipmine_api_next_epoch_planned"), 1);

    // Across the boundary the following epoch is the next one, not yet planned.
    t.setNow(EPOCH_START + 4 * HOUR + 1_400);
    text = await (await t.app.request("/metrics")).text();
    assertEquals(gauge(text, "zipmine_api_seconds_until_next_epoch"), 4 * 3600 - 1);
    assertEquals(gauge(text, "zipmine_api_next_epoch_planned"), 0);
  } finally {
    t.close();
  }
});

Deno.test("/metrics: the running epoch's plan missing the target band", async () => {
  for (const [target, missed] of [["10000", 0], ["50", 1]] as const) {
    const t = await createTestApi({ env: { TARGET_LISTINGS: target } });
    try {
      let text = await (await t.app.request("/metrics")).text();
      assertEquals(gauge(text, "zipmine_api_current_epoch_target_missed"), 0, "not planned yet");
      await t.planner.current();
      text = await (await t.app.request("/metrics")).text();
      assertEquals(gauge(text, "zipmine_api_current_epoch_target_missed"), missed, `target ${target}`);
    } finally {
      t.close();
    }
  }
});

Deno.test("/metrics still answers when KV is down, reporting the next plan as missing", async () => {
  const t = await createTestApi();
  t.setNow(EPOCH_START + 4 * HOUR - 300_000);
  t.close(); // KV closed: planner.find throws
  const res = await t.app.request("/metrics");
  assertEquals(res.status, 200);
  const text = await res.text();
  assertEquals(gauge(text, "zipmine_api_next_epoch_planned"), 0);
  assertEquals(gauge(text, "zipmine_api_seconds_until_next_epoch"), 300);
  assertEquals(gauge(text, "zipmine_api_current_epoch_target_missed"), 0);
  assertEquals(gauge(text, "zipmine_api_metagraph_age_seconds"), 4 * 3600 - 300 - 1800);
});
