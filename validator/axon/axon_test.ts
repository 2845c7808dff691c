// Loopback tests: the axon served by Deno.serve on an ephemeral port, called by zipmine's dendrite and by
// requests shaped by hand exactly as the Python SDK's dendrite sends them.
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { createHash } from "node:crypto";
import { u8aToHex, u8aWrapBytes } from "@polkadot/util";
import { signAssignment, verifySignedAssignment } from "../../shared/assignment_signature.ts";
import { HOUSTON_ZIP, testAssignment } from "../../shared/testing/assignment_fixture.ts";
import type { SignedAssignment } from "../../shared/schemas/signed_assignment.ts";
import { createKeyring, cryptoReady, type KeyringPair, signMessage } from "../../shared/signature.ts";
import { msToNs, signSynapseRequest, ZipcodeAssignmentSynapse } from "../../shared/synapse.ts";
import { callAxon, createDendrite, DendriteError } from "../../shared/adapters/axon/dendrite.ts";
import {
  AxonHandlerError,
  type AxonOptions,
  axonSynapse,
  createAxon,
  MAX_NONCES_PER_HOTKEY,
} from "./axon.ts";

await cryptoReady();
const keyring = createKeyring();
const validator = keyring.addFromUri("//axon-test/validator");
const miner = keyring.addFromUri("//axon-test/miner");
const stranger = keyring.addFromUri("//axon-test/stranger");
const api = keyring.addFromUri("//axon-test/api");

const assignment = testAssignment([
  { ...HOUSTON_ZIP, county: "Harris", latitude: 29.75, longitude: -95.36 },
]);
const EPOCH = assignment.epochId;
const signedAssignment = signAssignment(api, assignment);
const START_MS = Date.parse("2025-10-01T17:00:00Z");

interface Harness {
  port: number;
  clock: { ms: number };
  url: (name: string) => string;
}

/** Serves an axon on 127.0.0.1:0 for the duration of `fn`, then shuts it down. */
async function withAxon(
  fn: (h: Harness) => Promise<void>,
  overrides: Partial<AxonOptions> & { relay?: SignedAssignment; startMs?: number } = {},
): Promise<void> {
  const clock = { ms: overrides.startMs ?? START_MS };
  const relay = overrides.relay ?? signedAssignment;
  const handler = createAxon({
    pair: validator,
    synapses: {
      ZipcodeAssignment: axonSynapse({
        schema: ZipcodeAssignmentSynapse,
        handler: (request) => {
          if (request.epochId && request.epochId !== relay.assignment.epochId) {
            throw new AxonHandlerError(404, `No assignment for epoch ${request.epochId}`);
          }
          return relay;
        },
      }),
    },
    isRegistered: (hotkey) => hotkey === miner.address,
    rateLimitPerMinute: 100,
    clock: { now: () => new Date(clock.ms) },
    uuid: "axon-test-uuid",
    ...overrides,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  try {
    const port = server.addr.port;
    await fn({ port, clock, url: (name) => `http://127.0.0.1:${port}/${name}` });
  } finally {
    await server.shutdown();
  }
}

function target(port: number) {
  return { ip: "127.0.0.1", port, hotkey: validator.address };
}

/** A request signed by zipmine's code, sent with a raw fetch so the test controls every byte. */
function signedRequest(
  port: number,
  opts: { pair?: KeyringPair; nonce: bigint; uuid?: string; epochId?: string },
) {
  const pair = opts.pair ?? miner;
  return signSynapseRequest(pair, {
    synapse: ZipcodeAssignmentSynapse,
    fields: opts.epochId ? { epochId: opts.epochId } : {},
    axon: target(port),
    dendrite: { hotkey: pair.address, nonce: opts.nonce, uuid: opts.uuid ?? "raw-uuid", ip: "0.0.0.0" },
    timeoutSeconds: 12,
  });
}

async function post(url: string, headers: Record<string, string>, body: string) {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

Deno.test("a registered miner's call answers 200 with the API-signed assignment", async () => {
  await withAxon(async ({ port, clock }) => {
    const dendrite = createDendrite({
      pair: miner,
      clock: { now: () => new Date(clock.ms) },
      uuid: "miner-uuid",
    });
    const reply = await dendrite.call(target(port), ZipcodeAssignmentSynapse, {}, 5_000);
    assertEquals(reply.axon.statusCode, 200);
    assertEquals(reply.axon.statusMessage, "Success");
    assertEquals(reply.axon.hotkey, validator.address);
    const verdict = verifySignedAssignment(reply.response, { apiHotkeys: api.address, now: clock.ms });
    assert(verdict.ok);
    assertEquals(verdict.signed.assignment.zipcodes.map((z) => z.zipcode), ["77001"]);
    // Same millisecond, same uuid: the dendrite still sends a newer nonce.
    const again = await dendrite.call(target(port), ZipcodeAssignmentSynapse, { epochId: EPOCH }, 5_000);
    assertEquals(again.response.apiHotkey, api.address);
  });
});

Deno.test("a replayed nonce and a stale nonce answer 401", async () => {
  let replayed: { headers: Record<string, string>; body: string } | undefined;
  await withAxon(async ({ port, url, clock }) => {
    const fresh = signedRequest(port, { nonce: msToNs(clock.ms) });
    assertEquals((await post(url("ZipcodeAssignment"), fresh.headers, fresh.body)).status, 200);
    const replay = await post(url("ZipcodeAssignment"), fresh.headers, fresh.body);
    assertEquals(replay.status, 401);
    assertMatch(replay.json.message, /^Not Verified with error: Nonce is too old, a newer one/);
    assertEquals(replay.headers.get("bt_header_axon_status_code"), "401");

    const stale = signedRequest(port, { nonce: msToNs(clock.ms - 40_000), uuid: "other-uuid" });
    const old = await post(url("ZipcodeAssignment"), stale.headers, stale.body);
    assertEquals(old.status, 401);
    assertMatch(old.json.message, /Nonce is too old: acceptable delta/);

    replayed = fresh;
  });
  // After a restart the axon remembers no nonce; replayed an hour later with a huge (unsigned) timeout,
  // the request is still too old, because zipmine caps the timeout that widens the window.
  await withAxon(async ({ url }) => {
    const late = await post(
      url("ZipcodeAssignment"),
      { ...replayed!.headers, timeout: "1e9" },
      replayed!.body,
    );
    assertEquals(late.status, 401);
    assertMatch(late.json.message, /Nonce is too old: acceptable delta is 64\.00 seconds/);
  }, { startMs: START_MS + 3_600_000 });
});

Deno.test("a tampered body or signature is refused", async () => {
  await withAxon(async ({ port, url, clock }) => {
    const signed = signedRequest(port, { nonce: msToNs(clock.ms), epochId: EPOCH });
    const body = JSON.parse(signed.body);
    body.epochId = "2025-10-01T20-00-00";
    const tampered = await post(url("ZipcodeAssignment"), signed.headers, JSON.stringify(body));
    assertEquals(tampered.status, 400);
    assertMatch(tampered.json.message, /Hash mismatch/);

    // Rewriting computed_body_hash to match the new body breaks the signature instead.
    const rehashed = signedRequest(port, { nonce: msToNs(clock.ms) + 1n, epochId: "2025-10-01T20-00-00" });
    const forged = await post(
      url("ZipcodeAssignment"),
      {
        ...signed.headers,
        computed_body_hash: rehashed.bodyHash,
        bt_header_dendrite_nonce: `${msToNs(clock.ms) + 1n}`,
      },
      rehashed.body,
    );
    assertEquals(forged.status, 401);
    assertMatch(forged.json.message, /Signature mismatch/);

    // The signature is always required (the SDK skips verification without one).
    const { bt_header_dendrite_signature: _dropped, ...unsigned } = signed.headers;
    assertEquals((await post(url("ZipcodeAssignment"), unsigned, signed.body)).status, 400);

    // A signature for another axon's hotkey does not verify here.
    const elsewhere = signSynapseRequest(miner, {
      synapse: ZipcodeAssignmentSynapse,
      fields: {},
      axon: { ...target(port), hotkey: stranger.address },
      dendrite: { hotkey: miner.address, nonce: msToNs(clock.ms) + 5n, uuid: "raw-uuid" },
      timeoutSeconds: 12,
    });
    assertEquals((await post(url("ZipcodeAssignment"), elsewhere.headers, elsewhere.body)).status, 401);
  });
});

Deno.test("an unknown synapse answers 404 and another method 405", async () => {
  await withAxon(async ({ port, url, clock }) => {
    const signed = signedRequest(port, { nonce: msToNs(clock.ms) });
    const unknown = await post(url("Nope"), signed.headers, signed.body);
    assertEquals(unknown.status, 404);
    assertEquals(
      unknown.json.message,
      "Synapse name 'Nope' not found. Available synapses ['ZipcodeAssignment']",
    );
    assertEquals(unknown.headers.get("bt_header_axon_status_code"), "404");
    const nested = await post(url("ZipcodeAssignment/extra"), signed.headers, signed.body);
    assertEquals(nested.status, 404);
    const get = await fetch(url("ZipcodeAssignment"));
    assertEquals(get.status, 405);
    await get.body?.cancel();
  });
});

Deno.test("an unregistered or blacklisted caller answers 403", async () => {
  await withAxon(async ({ port, clock }) => {
    const error = await assertRejects(
      () =>
        callAxon({
          pair: stranger,
          axon: target(port),
          synapse: ZipcodeAssignmentSynapse,
          body: {},
          timeoutMs: 5_000,
          clock: { now: () => new Date(clock.ms) },
        }),
      DendriteError,
    ) as DendriteError;
    assertEquals([error.kind, error.status], ["refused", 403]);
    assertEquals(error.message, "Forbidden. Key is blacklisted: Unrecognized hotkey.");
  });
  await withAxon(async ({ port, clock }) => {
    const error = await assertRejects(
      () =>
        callAxon({
          pair: miner,
          axon: target(port),
          synapse: ZipcodeAssignmentSynapse,
          body: {},
          timeoutMs: 5_000,
          clock: { now: () => new Date(clock.ms) },
        }),
      DendriteError,
    ) as DendriteError;
    assertEquals(error.status, 403);
    assertEquals(error.message, "Forbidden. Key is blacklisted: miners paused.");
  }, { blacklist: () => "miners paused" });
});

Deno.test("calls beyond the per-hotkey rate limit answer 429", async () => {
  await withAxon(async ({ port, clock }) => {
    const dendrite = createDendrite({ pair: miner, clock: { now: () => new Date(clock.ms) } });
    await dendrite.call(target(port), ZipcodeAssignmentSynapse, {}, 5_000);
    await dendrite.call(target(port), ZipcodeAssignmentSynapse, {}, 5_000);
    const error = await assertRejects(
      () => dendrite.call(target(port), ZipcodeAssignmentSynapse, {}, 5_000),
      DendriteError,
    ) as DendriteError;
    assertEquals(error.status, 429);
    clock.ms += 30_000; // one token back
    await dendrite.call(target(port), ZipcodeAssignmentSynapse, {}, 5_000);
  }, { rateLimitPerMinute: 2 });
});

Deno.test("a handler refusal keeps its status; a handler crash is a 500 without details", async () => {
  await withAxon(async ({ port, clock }) => {
    const dendrite = createDendrite({ pair: miner, clock: { now: () => new Date(clock.ms) } });
    const missing = await assertRejects(
      () => dendrite.call(target(port), ZipcodeAssignmentSynapse, { epochId: "2025-10-02T00-00-00" }, 5_000),
      DendriteError,
    ) as DendriteError;
    assertEquals([missing.status, missing.message], [404, "No assignment for epoch 2025-10-02T00-00-00"]);
  });
  await withAxon(async ({ port, clock }) => {
    const crash = await assertRejects(
      () =>
        callAxon({
          pair: miner,
          axon: target(port),
          synapse: ZipcodeAssignmentSynapse,
          body: {},
          timeoutMs: 5_000,
          clock: { now: () => new Date(clock.ms) },
        }),
      DendriteError,
    ) as DendriteError;
    assertEquals(crash.status, 500);
    assertMatch(crash.message, /^Internal Server Error #[0-9a-f-]{36}$/);
  }, { relay: { ...signedAssignment, apiHotkey: "not-an-address" } });
});

// The Python dendrite's request, written out field by field from bittensor-protocol.md section 2.1.
function pythonShapedRequest(port: number, nonce: bigint, sign: (message: string) => string) {
  const sha3 = (s: string) => createHash("sha3-256").update(s).digest("hex");
  const bodyHash = sha3(sha3("None")); // required_hash_fields = ("epochId",), epochId = None
  const uuid = "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a";
  const message = `${nonce}.${miner.address}.${validator.address}.${uuid}.${bodyHash}`;
  const signature = sign(message);
  const headers = {
    "Content-Type": "application/json",
    "name": "ZipcodeAssignment",
    "timeout": "12.0",
    "bt_header_axon_ip": "127.0.0.1",
    "bt_header_axon_port": String(port),
    "bt_header_axon_hotkey": validator.address,
    "bt_header_dendrite_ip": "203.0.113.7",
    "bt_header_dendrite_version": "10002000",
    "bt_header_dendrite_nonce": String(nonce),
    "bt_header_dendrite_uuid": uuid,
    "bt_header_dendrite_hotkey": miner.address,
    "bt_header_dendrite_signature": signature,
    "header_size": "640",
    "total_size": "3472",
    "computed_body_hash": bodyHash,
  };
  const terminal = (fields: string) =>
    `{"status_code": null, "status_message": null, "process_time": null, ${fields}}`;
  const body = `{"name": "ZipcodeAssignment", "timeout": 12.0, "total_size": 3472, "header_size": 0, ` +
    `"dendrite": ${
      terminal(
        `"ip": "203.0.113.7", "port": null, "version": 10002000, "nonce": ${nonce}, "uuid": "${uuid}", ` +
          `"hotkey": "${miner.address}", "signature": "${signature}"`,
      )
    }, ` +
    `"axon": ${
      terminal(
        `"ip": "127.0.0.1", "port": ${port}, "version": null, "nonce": null, "uuid": null, ` +
          `"hotkey": "${validator.address}", "signature": null`,
      )
    }, ` +
    `"computed_body_hash": "", "epochId": null, "assignment": null, "apiSignature": null, "apiHotkey": null}`;
  return { headers, body };
}

Deno.test("a request shaped exactly like the Python SDK's dendrite is accepted, with an SDK-readable answer", async () => {
  await withAxon(async ({ port, url, clock }) => {
    const raw = pythonShapedRequest(port, msToNs(clock.ms), (m) => signMessage(miner, m));
    const response = await fetch(url("ZipcodeAssignment"), {
      method: "POST",
      headers: raw.headers,
      body: raw.body,
    });
    const text = await response.text();
    assertEquals(response.status, 200);
    // What process_server_response needs: JSON, axon status 200 in the headers, the synapse in the body.
    assertEquals(response.headers.get("content-type"), "application/json");
    assertEquals(response.headers.get("bt_header_axon_status_code"), "200");
    assertEquals(response.headers.get("bt_header_axon_status_message"), "Success");
    assert(Number.isFinite(Number(response.headers.get("bt_header_axon_process_time"))));
    assertEquals(response.headers.get("bt_header_axon_hotkey"), validator.address);
    assertEquals(response.headers.get("bt_header_dendrite_nonce"), raw.headers.bt_header_dendrite_nonce);
    assertEquals(response.headers.get("bt_header_dendrite_ip"), "127.0.0.1"); // the TCP peer, as the SDK
    // Python ints stay exact in the body (the axon's nonce is above 2^53).
    assertMatch(text, /"axon":\{[^}]*"nonce":\d{19}/);
    const json = JSON.parse(text);
    assertEquals(json.axon.status_code, 200);
    assertEquals(json.axon.status_message, "Success");
    assertEquals(json.name, "ZipcodeAssignment");
    assertEquals(json.epochId, null);
    assertEquals([json.apiHotkey, json.apiSignature], [api.address, signedAssignment.apiSignature]);
    assert(verifySignedAssignment(json, { apiHotkeys: api.address }).ok);
    // TerminalInfo keys exactly as pydantic dumps them.
    assertEquals(Object.keys(json.axon), [
      "status_code",
      "status_message",
      "process_time",
      "ip",
      "port",
      "version",
      "nonce",
      "uuid",
      "hotkey",
      "signature",
    ]);

    // btwallet also accepts a <Bytes>-wrapped signature (polkadot.js signRaw).
    const wrapped = pythonShapedRequest(
      port,
      msToNs(clock.ms) + 1n,
      (m) => u8aToHex(miner.sign(u8aWrapBytes(m))),
    );
    const second = await fetch(url("ZipcodeAssignment"), {
      method: "POST",
      headers: wrapped.headers,
      body: wrapped.body,
    });
    assertEquals(second.status, 200);
    await second.body?.cancel();
  });
});

Deno.test("a relayed assignment whose API signature is bad is refused by the miner's check", async () => {
  const altered: SignedAssignment = {
    ...signedAssignment,
    assignment: { ...signedAssignment.assignment, targetListings: 1 },
  };
  await withAxon(async ({ port, clock }) => {
    const reply = await callAxon({
      pair: miner,
      axon: target(port),
      synapse: ZipcodeAssignmentSynapse,
      body: {},
      timeoutMs: 5_000,
      clock: { now: () => new Date(clock.ms) },
    });
    const verdict = verifySignedAssignment(reply.response, { apiHotkeys: api.address, now: clock.ms });
    assert(!verdict.ok);
    assertEquals(verdict.reason, "bad-signature");
  }, { relay: altered });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

Deno.test("saturated: waiters run by priority, a full queue is 503, a long wait is 408", async () => {
  const clock = { ms: START_MS };
  const gates: (() => void)[] = [];
  const order: string[] = [];
  let prioritised = 0;
  const handler = createAxon({
    pair: validator,
    synapses: {
      ZipcodeAssignment: axonSynapse({
        schema: ZipcodeAssignmentSynapse,
        handler: async (_request, ctx) => {
          order.push(ctx.hotkey);
          await new Promise<void>((resolve) => gates.push(resolve));
          return signedAssignment;
        },
        priority: (hotkey) => {
          prioritised++;
          return hotkey === miner.address ? 10 : 1;
        },
      }),
    },
    isRegistered: () => true,
    rateLimitPerMinute: Infinity,
    clock: { now: () => new Date(clock.ms) },
    maxConcurrent: 1,
    maxQueued: 2,
  });
  let nonce = msToNs(clock.ms);
  const call = (pair: KeyringPair, timeoutSeconds = 12) => {
    const signed = signSynapseRequest(pair, {
      synapse: ZipcodeAssignmentSynapse,
      fields: {},
      axon: { ip: "127.0.0.1", port: 1, hotkey: validator.address },
      dendrite: { hotkey: pair.address, nonce: ++nonce, uuid: "gate" },
      timeoutSeconds,
    });
    const request = new Request("http://axon/ZipcodeAssignment", {
      method: "POST",
      headers: signed.headers,
      body: signed.body,
    });
    return handler(request).then(async (response) => {
      await response.body?.cancel();
      return response.status;
    });
  };
  const third = keyring.addFromUri("//axon-test/third");

  const first = call(stranger);
  await until(() => gates.length === 1);
  const low = call(stranger);
  const high = call(miner);
  await until(() => prioritised === 3);
  await new Promise((resolve) => setTimeout(resolve, 0)); // both are queued now
  assertEquals(await call(third), 503);
  gates.shift()!();
  assertEquals(await first, 200);
  await until(() => gates.length === 1);
  gates.shift()!();
  assertEquals(await high, 200);
  await until(() => gates.length === 1);
  gates.shift()!();
  assertEquals(await low, 200);
  assertEquals(order, [stranger.address, miner.address, stranger.address]); // priority jumped the queue

  // One slot busy: a waiter whose timeout is 10 ms gives up with 408.
  const busy = call(stranger);
  await until(() => gates.length === 1);
  assertEquals(await call(miner, 0.01), 408);
  gates.shift()!();
  assertEquals(await busy, 200);
});

Deno.test("an oversized body answers 413", async () => {
  await withAxon(async ({ port, url, clock }) => {
    const signed = signedRequest(port, { nonce: msToNs(clock.ms) });
    const padded = signed.body.replace(/}$/, `,"pad":"${"x".repeat(2048)}"}`);
    const answer = await post(url("ZipcodeAssignment"), signed.headers, padded);
    assertEquals(answer.status, 413);
  }, { maxBodyBytes: 1024 });
});

Deno.test("the caller is rate-limited before sr25519: forged signatures spend its quota, not the CPU", async () => {
  await withAxon(async ({ port, url, clock }) => {
    for (let i = 0; i < 2; i++) {
      const forged = signedRequest(port, {
        pair: stranger,
        nonce: msToNs(clock.ms) + BigInt(i),
        uuid: `f${i}`,
      });
      forged.headers["bt_header_dendrite_hotkey"] = miner.address; // claims the miner, signed by another key
      assertEquals((await post(url("ZipcodeAssignment"), forged.headers, forged.body)).status, 401);
    }
    const forged = signedRequest(port, { pair: stranger, nonce: msToNs(clock.ms) + 5n, uuid: "f9" });
    forged.headers["bt_header_dendrite_hotkey"] = miner.address;
    const limited = await post(url("ZipcodeAssignment"), forged.headers, forged.body);
    assertEquals(limited.status, 429, "the third attempt is refused before its signature is checked");
  }, { rateLimitPerMinute: 2 });
});

Deno.test("a hotkey holds at most MAX_NONCES_PER_HOTKEY live sessions; expired ones free their slots", async () => {
  await withAxon(async ({ port, url, clock }) => {
    const call = (uuid: string) => {
      const r = signedRequest(port, { nonce: msToNs(clock.ms), uuid });
      return post(url("ZipcodeAssignment"), r.headers, r.body);
    };
    for (let i = 0; i < MAX_NONCES_PER_HOTKEY; i++) {
      assertEquals((await call(`s${i}`)).status, 200, `session ${i}`);
    }
    const over = await call("one-more");
    assertEquals(over.status, 429);
    assertMatch(over.json.message, /live sessions per hotkey/);
    clock.ms += 1; // a newer nonce
    assertEquals((await call("s0")).status, 200, "a known session goes on");
    clock.ms += 120_000; // every session's nonce has expired (delta plus the longest timeout)
    assertEquals((await call("one-more")).status, 200);
  }, { rateLimitPerMinute: Infinity });
});
