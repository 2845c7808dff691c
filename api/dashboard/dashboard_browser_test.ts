// The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core), served by
// Deno.serve from the test API with the dashboard fixture. Screenshots go to .zipmine/artifacts/.
// Skipped, with the reason printed, where /usr/bin/chromium is absent (CI installs it with apt).
import { chromium, type Page } from "playwright-core";
import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { createDashboardFixture } from "../../tests/harness/dashboard_fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
// The machines have no network: without these Chromium floods the closed network with refused requests.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ARTIFACTS = new URL("../../.zipmine/artifacts/", import.meta.url);
const EPOCH_MS = 4 * 3600_000;

const chromiumPresent = await Deno.stat(CHROMIUM).then(() => true, () => false);
if (!chromiumPresent) {
  console.log(`dashboard_browser_test: skipped, ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

const texts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? ""));
const attrs = (page: Page, selector: string, name: string) =>
  page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n) ?? ""), name);

Deno.test({
  name:
    "the dashboard in Chromium: countdown, ZIP table and map, verdicts, no secrets, live refresh, 390 and 1280 px",
  ignore: !chromiumPresent,
  async fn() {
    const f = await createDashboardFixture();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, f.t.app.fetch);
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const profile = await Deno.makeTempDir({ prefix: "zipmine-chromium-" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const seen: string[] = [];
      page.on("response", async (r) => void seen.push(await r.text().catch(() => "")));
      await page.goto(url);

      // The countdown ticks on its own.
      const before = await page.locator(".countdown").textContent();
      await page.waitForTimeout(1500);
      const after = await page.locator(".countdown").textContent();
      assertMatch(before!, /^3h 1\dm \d\ds$/);
      assert(before !== after, `the countdown did not tick: ${before}`);

      // The table and the map show exactly the running epoch's ZIP codes.
      const zips = f.running.zipcodes.map((z) => z.zipcode);
      assertEquals(await attrs(page, "#zipcodes tr[data-zip]", "data-zip"), zips);
      assertEquals((await attrs(page, "circle.zip-dot", "data-zip")).sort(), [...zips].sort());

      // The newest judged epoch is open with its winners and every miner's score and zero reason.
      const judged = page.locator(`details.verdict[data-epoch="${f.ended[1].epochId}"]`);
      assert(await judged.getAttribute("open") !== null, "the newest judged epoch is open");
      assertEquals((await texts(page, `details[data-epoch="${f.ended[1].epochId}"] .winners li`)).length, 3);
      assertMatch(await judged.textContent() ?? "", /2 validators · agreement 99\.00 %/);
      assertEquals(
        await texts(page, `details[data-epoch="${f.ended[1].epochId}"] tr.reason td`),
        ["Scored 0: stamp: rows carry another nonce than [redacted]"],
      );
      assertMatch(
        (await texts(page, `details[data-epoch="${f.ended[0].epochId}"] tr.reason td`)).join(""),
        /fabricated listings/,
      );
      assertMatch(
        await page.locator(`details[data-epoch="${f.ended[2].epochId}"]`).textContent() ?? "",
        /awaiting/,
      );
      assertEquals(await page.locator(".rank-chart g.rank-line").count(), 2);

      // At both widths nothing overflows horizontally, every verdict open; the screenshots are for people.
      await page.evaluate(`document.querySelectorAll("details").forEach((d) => (d.open = true))`);
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const overflow = await page.evaluate<number>(
          "document.documentElement.scrollWidth - window.innerWidth",
        );
        assert(overflow <= 0, `${overflow} px of horizontal overflow at ${width} px`);
        await page.screenshot({
          path: new URL(`dashboard-${width}.png`, ARTIFACTS).pathname,
          fullPage: true,
        });
      }

      // Live: a new status shows up without a reload, and a new epoch swaps the panels in place.
      await page.evaluate("window.zipmineMarker = true");
      const completed = await f.t.postCompleted(f.t.pairs.miner, {
        epochId: f.running.epochId,
        nonce: f.running.nonce,
      });
      assertEquals(completed.status, 200);
      await f.t.advance(10_000); // past the progress cache
      await page.waitForFunction(
        `document.querySelector('[data-live="miners.completed"]').textContent === "2"`,
        undefined,
        {
          timeout: 12_000,
        },
      );
      await f.t.advance(EPOCH_MS);
      const next = (await f.t.planner.current()).plan;
      await page.waitForSelector(`#dashboard[data-epoch="${next.epochId}"]`, { timeout: 12_000 });
      assertEquals(
        await attrs(page, "#zipcodes tr[data-zip]", "data-zip"),
        next.zipcodes.map((z) => z.zipcode),
      );
      assert(await page.evaluate("window.zipmineMarker === true"), "the page was reloaded");

      // Neither the page as rendered nor any response it received carries a nonce, a seed or a commitment.
      const everything = [await page.content(), ...seen].join("\n");
      for (const secret of [...f.secrets, next.nonce, next.samplingSeed, next.seedCommitment]) {
        assert(!everything.includes(secret), `the page shows the secret ${secret}`);
      }
    } finally {
      await context.close();
      await server.shutdown();
      await Deno.remove(profile, { recursive: true });
      f.t.close();
    }
  },
});
