// The attack catalogue: each attack gets one specific, documented status and a reason, never a 500.
import { assert, assertEquals, assertMatch } from "../tests/assert.ts";
import { minerDataKey } from "../shared/s3_keys.ts";
import { createTestApi, TEST_SECRET, type TestApi } from "../tests/harness/api_harness.ts";
import { setPaused } from "./stores/control.ts";
import { kvKeys } from "./stores/kv_keys.ts";

const EPOCH = "2025-10-01T16-00-00";
const CURRENT = "/api/v1/zipcode-assignments/current";

async function expectError(res: Response, status: number, detail: RegExp): Promise<void> {
  const body = await res.json();
  assertEquals(res.status, status, JSON.stringify(body));
  assertMatch(body.detail, detail);
  assertEquals([body.statusCode, body.message], [status, body.detail], "both client families see the error");
}

async function countEntries(t: TestApi, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of t.kv.list({ prefix })) n++;
  return n;
}

async function withApi(fn: (t: TestApi) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const t = await createTestApi({ env });
  try {
    await fn(t);
  } finally {
    t.close();
  }
}

Deno.test("a signature by another key (forged) is refused with 401", () =>
  withApi(async (t) => {
    const forged = t.sign(t.pairs.stranger, "currentAssignment", { timestamp: t.nowS() });
    await expectError(await t.signedGet(CURRENT, t.pairs.miner, forged), 401, /^Invalid signature$/);
  }));

Deno.test("a signature over another message (tampered timestamp) is refused with 401", () =>
  withApi(async (t) => {
    const sig = t.sign(t.pairs.miner, "currentAssignment", { timestamp: t.nowS() });
    await expectError(
      await t.signedGet(CURRENT, t.pairs.miner, sig, t.nowS() - 1),
      401,
      /^Invalid signature$/,
    );
  }));

Deno.test("a replayed request is refused with 401 even re-encoded", () =>
  withApi(async (t) => {
    const sig = t.sign(t.pairs.miner, "currentAssignment", { timestamp: t.nowS() });
    const first = await t.signedGet(CURRENT, t.pairs.miner, sig);
    assertEquals(first.status, 200);
    await first.body?.cancel();
    await expectError(await t.signedGet(CURRENT, t.pairs.miner, sig), 401, /already used/);
    await expectError(
      await t.signedGet(CURRENT, t.pairs.miner, `0x${sig.toUpperCase()}`),
      401,
      /already used/,
    );
  }));

Deno.test("stale and future-dated signatures are refused with 400", () =>
  withApi(async (t) => {
    const old = t.nowS() - 301;
    const stale = t.sign(t.pairs.miner, "currentAssignment", { timestamp: old });
    await expectError(await t.signedGet(CURRENT, t.pairs.miner, stale, old), 400, /older than 300 s/);
    const ahead = t.nowS() + 61;
    const future = t.sign(t.pairs.miner, "currentAssignment", { timestamp: ahead });
    await expectError(await t.signedGet(CURRENT, t.pairs.miner, future, ahead), 400, /ahead/);
  }));

Deno.test("an unregistered hotkey is refused with 403", () =>
  withApi(async (t) => {
    const sig = t.sign(t.pairs.stranger, "currentAssignment", { timestamp: t.nowS() });
    await expectError(await t.signedGet(CURRENT, t.pairs.stranger, sig), 403, /not registered on netuid 46/);
  }));

Deno.test("a miner on a validator route, and a validator below the stake minimum, are refused with 403", () =>
  withApi(async (t) => {
    await t.current();
    const path = `/api/v1/zipcode-assignments/epoch/${EPOCH}`;
    const minerSig = t.sign(t.pairs.miner, "epochAssignment", { epochId: EPOCH, timestamp: t.nowS() });
    await expectError(await t.signedGet(path, t.pairs.miner, minerSig), 403, /Validator permit required/);
    const poorSig = t.sign(t.pairs.poorValidator, "epochAssignment", { epochId: EPOCH, timestamp: t.nowS() });
    await expectError(
      await t.signedGet(path, t.pairs.poorValidator, poorSig),
      403,
      /stake 500 is below 20000/,
    );
  }));

Deno.test("a status with the wrong nonce is refused with 400 and earns no receipt", () =>
  withApi(async (t) => {
    await t.current();
    const res = await t.postCompleted(t.pairs.miner, { epochId: EPOCH, nonce: "0".repeat(32) });
    await expectError(res, 400, /Invalid nonce/);
    assertEquals(await countEntries(t, kvKeys.receipts(EPOCH)), 0);
  }));

Deno.test("malformed and future epoch ids are refused with 400 and 403", () =>
  withApi(async (t) => {
    await t.current();
    const get = (id: string) =>
      t.signedGet(
        `/api/v1/zipcode-assignments/epoch/${encodeURIComponent(id)}`,
        t.pairs.validator,
        t.sign(t.pairs.validator, "epochAssignment", { epochId: id, timestamp: t.nowS() }),
      );
    await expectError(await get("2025-10-01-16-00"), 400, /Invalid epoch id/);
    await expectError(await get("2025-10-01T17-00-00"), 400, /boundary/);
    await t.planner.planAhead();
    await t.advance(3.4 * 3600_000); // 19:54: the next plan exists but is not revealed
    await t.planner.planAhead();
    assert(await t.planner.find("2025-10-01T20-00-00"), "the next epoch was planned ahead");
    await expectError(await get("2025-10-01T20-00-00"), 403, /has not started/);
  }));

Deno.test("path traversal or another miner's key in a presign request is refused with 400", () =>
  withApi(async (t) => {
    const v = t.pairs.validator;
    const miner = t.pairs.miner.address;
    const fileUrls = (key: string) =>
      t.postJson("/api/v1/s3-access/file-urls", {
        hotkey: v.address,
        timestamp: t.nowS(),
        miner_hotkey: miner,
        file_keys: [key],
        signature: t.sign(v, "minerSpecificAccess", { minerHotkey: miner, timestamp: t.nowS() }),
      });
    const own = minerDataKey(miner, EPOCH, "15000", "a.parquet");
    await expectError(
      await fileUrls(own.replace("zipcode=15000", "zipcode=15000/..")),
      400,
      /relative segments/,
    );
    const other = minerDataKey(t.pairs.miner2.address, EPOCH, "15000", "a.parquet");
    await t.advance(1000);
    await expectError(await fileUrls(other), 400, /belongs to/);
  }));

Deno.test("an oversized body is refused with 413 and malformed JSON with 400", () =>
  withApi(async (t) => {
    await expectError(
      await t.postJson("/get-folder-access", { pad: "x".repeat(300_000) }),
      413,
      /larger than/,
    );
    await expectError(await t.postJson("/get-folder-access", "{not json"), 400, /Malformed JSON/);
    await expectError(await t.postJson("/get-folder-access", "[1,2]"), 400, /expected an object/);
    await expectError(await t.postJson("/get-folder-access", { hotkey: "5abc" }), 400, /Invalid request/);
  }));

Deno.test("an unauthenticated flood neither locks out a real miner nor spends its quota", () =>
  withApi(async (t) => {
    const attacker = { remoteAddr: { hostname: "203.0.113.9" } };
    const victim = t.pairs.miner.address;
    let refusedByIp = 0;
    for (let i = 0; i < 25; i++) {
      const q = new URLSearchParams({
        hotkey: victim,
        signature: "ab".repeat(64),
        timestamp: String(t.nowS()),
      });
      const res = await t.app.request(`${CURRENT}?${q}`, {}, attacker);
      if (res.status === 429) refusedByIp++;
      else assertEquals(res.status, 401);
      await res.body?.cancel();
    }
    assertEquals(refusedByIp, 5, "the attacker's address is limited after 20 requests");
    const res = await t.app.request(
      `${CURRENT}?${new URLSearchParams({
        hotkey: victim,
        signature: t.sign(t.pairs.miner, "currentAssignment", { timestamp: t.nowS() }),
        timestamp: String(t.nowS()),
      })}`,
      {},
      { remoteAddr: { hostname: "198.51.100.7" } },
    );
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("X-RateLimit-Remaining"), "29", "the flood used none of the miner's quota");
    await res.body?.cancel();
  }, { PREAUTH_RATE_LIMIT_PER_MINUTE: "20" }));

Deno.test("a hotkey over its per-minute limit gets 429 with X-RateLimit headers, then recovers", () =>
  withApi(async (t) => {
    for (let i = 0; i < 3; i++) assertEquals((await t.current()).res.status, 200);
    const res = await t.currentResponse();
    await expectError(res, 429, /Too Many Requests/);
    assertEquals(res.headers.get("X-RateLimit-Remaining"), "0");
    assert(Number(res.headers.get("Retry-After")) > 0);
    await t.advance(60_000);
    assertEquals((await t.current()).res.status, 200);
  }, { MINER_RATE_LIMIT_PER_MINUTE: "3" }));

Deno.test("a stale metagraph closes authenticated routes with 503", () =>
  withApi(async (t) => {
    t.setNow(t.nowS() * 1000 + 16 * 60_000);
    await expectError(await t.currentResponse(), 503, /Metagraph is stale/);
    const health = await t.app.request("/healthcheck");
    assertEquals(health.status, 503);
    assertEquals((await health.json()).status, "unhealthy");
  }));

Deno.test("the pause switch makes /current answer 503 paused", () =>
  withApi(async (t) => {
    await setPaused(t.kv, true, t.nowS() * 1000, "rollback");
    await expectError(await t.currentResponse(), 503, /^paused/);
    await setPaused(t.kv, false, t.nowS() * 1000, "");
    await t.advance(1000); // the switch is read at most once a second
    assertEquals((await t.current()).res.status, 200);
  }));

Deno.test("logs never contain signatures, nonces, seeds or the epoch secret", () =>
  withApi(async (t) => {
    const { body } = await t.current();
    const sig = t.sign(t.pairs.stranger, "currentAssignment", { timestamp: t.nowS() });
    await (await t.signedGet(CURRENT, t.pairs.stranger, sig)).body?.cancel();
    const plan = await t.planner.find(EPOCH);
    const logs = t.logLines.join("\n");
    assert(t.logLines.length >= 2, "requests were logged");
    for (const secret of [sig, body.nonce, plan!.samplingSeed, TEST_SECRET]) {
      assert(!logs.includes(secret), `logs leak ${secret.slice(0, 12)}...`);
    }
  }));

Deno.test("':' in a coldkey or a path epoch id is a 400 with a reason, never a 500, and stores nothing", () =>
  withApi(async (t) => {
    const m = t.pairs.miner;
    const folder = await t.postJson("/get-folder-access", {
      coldkey: "5abc:def",
      hotkey: m.address,
      timestamp: t.nowS(),
      signature: "ab".repeat(64),
    });
    await expectError(folder, 400, /coldkey: expected an address without ':'/);
    const v = t.pairs.validator;
    const q = new URLSearchParams({
      hotkey: v.address,
      signature: "ab".repeat(64),
      timestamp: String(t.nowS()),
    });
    const ZA = "/api/v1/zipcode-assignments/epoch";
    for (const path of [`${ZA}/a:b`, `${ZA}/a:b/seed`, `${ZA}/a:b/submissions`]) {
      await expectError(await t.app.request(`${path}?${q}`), 400, /Invalid request: .*contains ":"/);
    }
    const counts = await t.postJson(`${ZA}/a:b/validated-counts`, {
      hotkey: v.address,
      timestamp: t.nowS(),
      signature: "ab".repeat(64),
      counts: [{ zipcode: "15000", validatedListings: 1 }],
    });
    await expectError(counts, 400, /contains ":"/);
    const metrics = await (await t.app.request("/metrics")).text();
    assert(!/status="500"/.test(metrics), "no request answered 500");
    assertEquals(t.presigner.keys(t.config.S3_BUCKET), []);
  }));

Deno.test("invented HTTP methods share one metrics series", () =>
  withApi(async (t) => {
    for (const method of ["FOO", "BAR", "XYZZY"]) {
      await (await t.app.request("/healthcheck", { method })).body?.cancel();
    }
    const metrics = await (await t.app.request("/metrics")).text();
    assertMatch(metrics, /zipmine_api_requests_total\{method="other",route="[^"]*",status="404"\} 3/);
    for (const method of ["FOO", "BAR", "XYZZY"]) {
      assert(
        !metrics.includes(method),
        `${method} became a label`,
      );
    }
  }));

Deno.test("behind a trusted proxy the pre-auth limit keys on X-Forwarded-For, and a forged prefix is ignored", () =>
  withApi(async (t) => {
    const proxy = { remoteAddr: { hostname: "10.0.0.1" } }; // every request arrives from the proxy
    const send = (xff: string) =>
      Promise.resolve(t.app.request(CURRENT, { headers: { "X-Forwarded-For": xff } }, proxy));
    let limited = 0;
    for (let i = 0; i < 8; i++) {
      // The flooder prepends random addresses; the proxy appends the real one.
      const res = await send(`198.18.0.${i}, 203.0.113.9`);
      if (res.status === 429) limited++;
      await res.body?.cancel();
    }
    assertEquals(limited, 3, "the flooder's own address is limited after 5 requests");
    const victim = await send("198.51.100.7");
    assertEquals(victim.status, 400, "another client behind the same proxy is not locked out");
    await victim.body?.cancel();
  }, { PREAUTH_RATE_LIMIT_PER_MINUTE: "5", TRUSTED_PROXY_DEPTH: "1" }));
