/**
 * Issue 18 across programs: the API seals plans ahead; a miner and a validator hold them while the API is
 * up; with the API down they open the epoch's assignment and seed from a drand relay's pulses.
 */
import { assert, assertEquals } from "./assert.ts";
import { ApiClientError } from "../shared/api_client.ts";
import { formatBeacon } from "../shared/drand_schedule.ts";
import { createLogger } from "../shared/log.ts";
import { createRelayPulseSource } from "../shared/adapters/sealed_plans/pulses.ts";
import { openSealedPlanStore } from "../shared/adapters/sealed_plans/store.ts";
import { createAssignmentProvider } from "../miner/assignment_source.ts";
import { sealedPlanCopies } from "../miner/relay_source.ts";
import { rememberApiHotkey } from "../shared/adapters/sealed_plans/api_hotkey.ts";
import { createAssignmentRelay } from "../validator/relay.ts";
import { createDendrite } from "../shared/adapters/axon/dendrite.ts";
import type { ChainAdapter } from "../shared/ports.ts";
import { createKeyring } from "../shared/signature.ts";
import { createSealedSource } from "../miner/sealed_source.ts";
import { assignmentAndSeed, createValidatorSealedPlans } from "../validator/sealed_plans.ts";
import { createTestApi, type TestApi } from "./harness/api_harness.ts";
import { createTestBeacon, serveDrandRelay } from "./localnet/drand_relay.ts";

const down = () => Promise.reject(new TypeError("error sending request: connection refused"));

async function setup(fn: (s: Awaited<ReturnType<typeof build>>) => Promise<void>) {
  const s = await build();
  try {
    await fn(s);
  } finally {
    await s.relay.stop();
    s.t.close();
    await Deno.remove(s.dir, { recursive: true });
  }
}

async function build() {
  let drandLagMs = 0;
  let nowMs = Date.UTC(2025, 9, 1, 16, 30);
  const beacon = createTestBeacon(
    new Uint8Array(32).fill(11),
    { genesisTime: 1692803367, period: 3 },
    { now: () => new Date(nowMs - drandLagMs) },
  );
  const t: TestApi = await createTestApi({
    startMs: nowMs,
    env: { DRAND_BEACON: formatBeacon(beacon.info), SEALED_PLANS_AHEAD: "3" },
  });
  await t.sealed.publishAhead();
  const relay = serveDrandRelay(beacon);
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  const log = createLogger({
    sink: (l) => lines.push(l),
    level: "debug",
    clock: { now: () => new Date(nowMs) },
  });
  let apiUp = true;
  // The API as a network peer: its public route over the app, or a refused connection.
  const apiFetch =
    ((input: URL | string) =>
      apiUp ? Promise.resolve(t.app.request(new URL(String(input)).pathname)) : down()) as typeof fetch;
  const pulses = createRelayPulseSource([relay.url], { fetch, timeoutMs: 5000 });
  const epochOptions = { epochSeconds: 14400, uploadLeadSeconds: 900 };
  const common = {
    apiUrl: "http://api.test",
    fetch: apiFetch,
    pulses,
    beacon: beacon.info,
    pinnedApiHotkeys: [],
    epochOptions,
    clock: { now: () => new Date(nowMs) },
    log,
  };
  return {
    t,
    relay,
    dir,
    lines,
    common,
    setNow: (ms: number) => void (nowMs = ms),
    setApiUp: (up: boolean) => void (apiUp = up),
    setDrandLag: (ms: number) => void (drandLagMs = ms),
  };
}

Deno.test("with the API down at the boundary, a miner mines the epoch opened from its sealed plan", () =>
  setup(async (s) => {
    const stateDir = `${s.dir}/miner`;
    await rememberApiHotkey(stateDir, s.t.deps.signer.address); // learned from /current earlier
    const sealed = createSealedSource({ ...s.common, stateDir });
    await sealed.sync();
    s.setApiUp(false);
    const provider = createAssignmentProvider({
      api: { name: "api", current: down },
      fallbacks: [sealed],
      stateDir,
      clock: { now: () => new Date(Date.UTC(2025, 9, 1, 20, 0, 1)) },
      log: s.common.log,
    });
    // drand lags: at 20:00:01 the start's round is not out yet, and nothing opens the plan early.
    s.setNow(Date.UTC(2025, 9, 1, 20, 0, 1));
    s.setDrandLag(10_000);
    assertEquals(await provider.current(), null);
    assert(s.lines.some((l) => l.includes("too-early")), "the refusal names the round it waits for");
    s.setDrandLag(0);
    const sourced = await provider.current();
    const plan = (await s.t.planner.find("2025-10-01T20-00-00"))!;
    assertEquals(sourced?.source, "sealed-plan");
    assertEquals(sourced?.assignment.epochId, plan.epochId);
    assertEquals(sourced?.assignment.nonce, plan.nonce);
    assertEquals(sourced?.assignment.zipcodes, plan.zipcodes);
  }));

Deno.test("a miner without the API's key learned refuses to hold sealed plans", () =>
  setup(async (s) => {
    const stateDir = `${s.dir}/fresh`;
    const sealed = createSealedSource({ ...s.common, stateDir });
    await sealed.sync();
    assert(s.lines.some((l) => l.includes("no trusted API address yet")));
    assertEquals(await openSealedPlanStore(`${stateDir}/sealed_plans`).list("2025-01-01T00-00-00"), []);
  }));

Deno.test("validators judge with the seed opened at the deadline's round when the API cannot answer", () =>
  setup(async (s) => {
    const v = createValidatorSealedPlans({ ...s.common, stateDir: `${s.dir}/validator` });
    await v.learnApiHotkey(s.t.deps.signer.address);
    await v.sync();
    s.setApiUp(false);
    const plan = (await s.t.planner.find("2025-10-01T20-00-00"))!;
    const unreachable = { epoch: down, seed: down };
    // Before the deadline's round the seed stays sealed.
    s.setNow(Date.UTC(2025, 9, 1, 23, 44));
    const early = await assignmentAndSeed(unreachable, v.opener, plan.epochId, s.common.log).catch((e) => e);
    assert(early instanceof Error && early.message.includes("too-early"), String(early));
    s.setNow(Date.UTC(2025, 9, 2, 0, 5));
    const facts = await assignmentAndSeed(unreachable, v.opener, plan.epochId, s.common.log);
    assertEquals(facts.seed, plan.samplingSeed);
    assertEquals(facts.assignment.seedCommitment, plan.seedCommitment);
    // A refusal (403) is not an outage: no fallback.
    const refused = {
      epoch: () => Promise.reject(new ApiClientError(403, "not a validator", "epoch")),
      seed: down,
    };
    const error = await assignmentAndSeed(refused, v.opener, plan.epochId, s.common.log).catch((e) => e);
    assert(error instanceof ApiClientError && error.status === 403);
    // Served copies verify; a tampered copy is refused by the miner's store.
    const copies = await v.store.list(plan.epochId);
    assertEquals(copies.length, 3);
    const tampered = { ...copies[0], seedCiphertext: copies[1].seedCiphertext };
    const { added, refused: why } = await openSealedPlanStore(`${s.dir}/copy`).save([tampered, copies[1]], {
      apiHotkeys: s.t.deps.signer.address,
      beacon: s.common.beacon,
    });
    assertEquals(added, 1);
    assert(why[0].startsWith("bad-signature"), why[0]);
  }));

Deno.test("a miner that joins during the outage gets the sealed plans from a validator's axon", () =>
  setup(async (s) => {
    const validatorPair = createKeyring().addFromUri("//sealed-outage/validator");
    const minerPair = createKeyring().addFromUri("//sealed-outage/miner");
    const v = createValidatorSealedPlans({ ...s.common, stateDir: `${s.dir}/validator` });
    await v.learnApiHotkey(s.t.deps.signer.address);
    await v.sync();
    s.setApiUp(false);
    s.setNow(Date.UTC(2025, 9, 1, 20, 0, 30));
    let axonPort = 0;
    const chain = {
      metagraph: () =>
        Promise.resolve({
          netuid: 46,
          block: 1,
          neurons: [
            {
              uid: 0,
              hotkey: validatorPair.address,
              coldkey: validatorPair.address,
              stake: 1000,
              validatorPermit: true,
              axon: { ip: "127.0.0.1", port: axonPort },
            },
            {
              uid: 1,
              hotkey: minerPair.address,
              coldkey: minerPair.address,
              stake: 1,
              validatorPermit: false,
            },
          ],
        }),
    } as unknown as ChainAdapter;
    const relay = createAssignmentRelay({
      api: { current: down },
      chain,
      netuid: 46,
      pair: validatorPair,
      clock: s.common.clock,
      rateLimitPerMinute: 100,
      sealedPlans: v.store,
      epochOptions: s.common.epochOptions,
      log: s.common.log,
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, relay.handler);
    axonPort = server.addr.port;
    try {
      const stateDir = `${s.dir}/joined`;
      const relayDeps = {
        chain,
        netuid: 46,
        dendrite: createDendrite({ pair: minerPair, clock: s.common.clock }),
        pinnedApiHotkeys: [s.t.deps.signer.address],
        stateDir,
        timeoutMs: 5000,
        clock: { now: () => new Date(Date.UTC(2025, 9, 1, 20, 0, 30)) },
        log: s.common.log,
      };
      const sealed = createSealedSource({
        ...s.common,
        pinnedApiHotkeys: [s.t.deps.signer.address],
        stateDir,
        copies: () => sealedPlanCopies(relayDeps),
      });
      const assignment = await sealed.current();
      assertEquals(assignment.nonce, (await s.t.planner.find("2025-10-01T20-00-00"))!.nonce);
    } finally {
      await server.shutdown();
    }
  }));
