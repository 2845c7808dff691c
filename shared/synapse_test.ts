import { assert, assertEquals, assertMatch, assertThrows } from "../tests/assert.ts";
import { createHash } from "node:crypto";
import { z } from "zod";
import { createKeyring, cryptoReady, verifyHotkeySignature } from "./signature.ts";
import {
  ALLOWED_NONCE_DELTA_NS,
  checkNonce,
  defineSynapse,
  MAX_NONCE_FUTURE_NS,
  MAX_NONCE_TIMEOUT_SECONDS,
  nonceExpiryNs,
  parseAxonResponseHeaders,
  parseSynapseHeaders,
  pythonStr,
  sha3Hex,
  signSynapseRequest,
  synapseJson,
  ZipcodeAssignmentSynapse,
} from "./synapse.ts";

await cryptoReady();
const alice = createKeyring().addFromUri("//Alice");
const bob = createKeyring().addFromUri("//Bob");
const NOW_NS = 1_760_000_000_000_000_000n;
const S = 1_000_000_000n;

Deno.test("sha3Hex is FIPS SHA3-256, not Keccak", () => {
  assertEquals(sha3Hex(""), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  assertEquals(sha3Hex("abc"), createHash("sha3-256").update("abc").digest("hex"));
});

Deno.test("pythonStr writes str/int/bool/None as Python does and refuses lists and dicts", () => {
  assertEquals([pythonStr("x"), pythonStr(5), pythonStr(true), pythonStr(null), pythonStr(undefined)], [
    "x",
    "5",
    "True",
    "None",
    "None",
  ]);
  assertEquals(pythonStr(0.5), "0.5");
  assertThrows(() => pythonStr([1, 2]), TypeError);
  assertThrows(() => pythonStr({ a: 1 }), TypeError);
});

Deno.test("checkNonce: a fresh first nonce passes, one older than 4 s + timeout is refused", () => {
  const base = { lastNonce: undefined, nowNs: NOW_NS, timeoutSeconds: 12 };
  assert(checkNonce({ ...base, nonce: NOW_NS }).ok);
  assert(checkNonce({ ...base, nonce: NOW_NS - 15n * S }).ok);
  const stale = checkNonce({ ...base, nonce: NOW_NS - ALLOWED_NONCE_DELTA_NS - 12n * S });
  assert(!stale.ok);
  assertMatch(stale.reason, /Nonce is too old: acceptable delta is 16\.00 seconds/);
});

Deno.test("checkNonce: later nonces must strictly increase (replay refused)", () => {
  const base = { nowNs: NOW_NS, timeoutSeconds: 12 };
  assert(!checkNonce({ ...base, nonce: NOW_NS, lastNonce: NOW_NS }).ok);
  assert(!checkNonce({ ...base, nonce: NOW_NS - 1n, lastNonce: NOW_NS }).ok);
  assert(checkNonce({ ...base, nonce: NOW_NS + 1n, lastNonce: NOW_NS }).ok);
});

Deno.test("checkNonce: freshness applies to later nonces too, the unsigned timeout is capped", () => {
  // The SDK checks freshness only on a first request; a withheld request must not pass later.
  const old = NOW_NS - 3600n * S;
  assert(!checkNonce({ nonce: old, lastNonce: old - 1n, nowNs: NOW_NS, timeoutSeconds: 12 }).ok);
  // A replayer raising `timeout` cannot widen the window beyond the cap.
  const capped = NOW_NS - ALLOWED_NONCE_DELTA_NS - BigInt(MAX_NONCE_TIMEOUT_SECONDS) * S;
  assert(!checkNonce({ nonce: capped, lastNonce: undefined, nowNs: NOW_NS, timeoutSeconds: 1e9 }).ok);
  assert(checkNonce({ nonce: capped + 1n, lastNonce: undefined, nowNs: NOW_NS, timeoutSeconds: 1e9 }).ok);
  assertEquals(nonceExpiryNs(NOW_NS), capped);
});

Deno.test("checkNonce: a nonce far ahead of the clock is refused", () => {
  const base = { lastNonce: undefined, nowNs: NOW_NS, timeoutSeconds: 12 };
  assert(checkNonce({ ...base, nonce: NOW_NS + MAX_NONCE_FUTURE_NS }).ok);
  assert(!checkNonce({ ...base, nonce: NOW_NS + MAX_NONCE_FUTURE_NS + 1n }).ok);
});

Deno.test("defineSynapse refuses hash fields that are not request fields and bad names", () => {
  const request = z.object({ text: z.string() });
  const response = z.object({ out: z.string() });
  assertThrows(
    () => defineSynapse({ name: "Echo", request, response, requiredHashFields: ["nope" as "text"] }),
    RangeError,
  );
  assertThrows(() => defineSynapse({ name: "bad-name", request, response }));
});

Deno.test("signSynapseRequest: the body keeps the nanosecond nonce exact and every field", () => {
  const nonce = 1_732_550_000_123_456_789n;
  const signed = signSynapseRequest(alice, {
    synapse: ZipcodeAssignmentSynapse,
    fields: {},
    axon: { ip: "127.0.0.1", port: 8091, hotkey: bob.address },
    dendrite: { hotkey: alice.address, nonce, uuid: "u-1", ip: "0.0.0.0" },
    timeoutSeconds: 12,
  });
  assert(signed.body.includes(`"nonce":${nonce}`));
  const body = JSON.parse(signed.body);
  assertEquals(
    [body.epochId, body.assignment, body.apiSignature, body.apiHotkey, body.name, body.computed_body_hash],
    [null, null, null, null, "ZipcodeAssignment", ""],
  );
  assertEquals(signed.bodyHash, sha3Hex(sha3Hex("None")));
  assertEquals(signed.headers.computed_body_hash, signed.bodyHash);
  assert(
    verifyHotkeySignature({ message: signed.message, signature: signed.signature, hotkey: alice.address }),
  );
  assertThrows(
    () =>
      signSynapseRequest(bob, {
        synapse: ZipcodeAssignmentSynapse,
        fields: {},
        axon: { ip: "127.0.0.1", port: 8091, hotkey: bob.address },
        dendrite: { hotkey: alice.address, nonce, uuid: "u-1" },
        timeoutSeconds: 12,
      }),
    RangeError,
  );
});

Deno.test("parseSynapseHeaders names what is missing or malformed", () => {
  const missing = parseSynapseHeaders({ name: "ZipcodeAssignment" });
  assert(!missing.ok);
  assertMatch(missing.error, /bt_header_dendrite_nonce/);
  const headers = new Headers({
    BT_HEADER_DENDRITE_NONCE: "12x",
    bt_header_dendrite_uuid: "u",
    bt_header_dendrite_hotkey: alice.address,
    bt_header_dendrite_signature: `0x${"ab".repeat(64)}`,
    computed_body_hash: "a".repeat(64),
  });
  const bad = parseSynapseHeaders(headers);
  assert(!bad.ok);
  assertMatch(bad.error, /nonce/);
});

Deno.test("parseAxonResponseHeaders reads a malformed value as absent", () => {
  const parsed = parseAxonResponseHeaders({
    bt_header_axon_status_code: "200",
    bt_header_axon_process_time: "0.25",
    bt_header_axon_nonce: "not-a-number",
  });
  assert(parsed.ok);
  assertEquals([parsed.value.statusCode, parsed.value.processTime, parsed.value.nonce], [
    200,
    0.25,
    undefined,
  ]);
});

Deno.test("synapseJson writes bigints exactly and drops undefined keys", () => {
  assertEquals(
    synapseJson({ a: 18446744073709551615n, b: undefined, c: [1, "x"] }),
    '{"a":18446744073709551615,"c":[1,"x"]}',
  );
  assertThrows(() => synapseJson({ x: Number.NaN }), TypeError);
});
