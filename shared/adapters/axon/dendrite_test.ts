// The dendrite against fake fetches: what it sends, and how each failure maps to the SDK's status codes.
// Loopback calls against the real axon are in validator/axon/axon_test.ts.
import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { createKeyring, cryptoReady, verifyHotkeySignature } from "../../signature.ts";
import { synapseSigningMessage, ZipcodeAssignmentSynapse } from "../../synapse.ts";
import { callAxon, createDendrite, DendriteError } from "./dendrite.ts";

await cryptoReady();
const miner = createKeyring().addFromUri("//dendrite-test/miner");
const validator = createKeyring().addFromUri("//dendrite-test/validator");
const NOW = Date.parse("2025-10-01T17:00:00Z");
const axon = { ip: "198.51.100.4", port: 8091, hotkey: validator.address };

type FakeFetch = (url: string, init: RequestInit) => Promise<Response>;
function call(fakeFetch: FakeFetch, timeoutMs = 1_000) {
  return callAxon({
    pair: miner,
    axon,
    synapse: ZipcodeAssignmentSynapse,
    body: { epochId: "2025-10-01T16-00-00" },
    timeoutMs,
    clock: { now: () => new Date(NOW) },
    fetch: fakeFetch as typeof fetch,
    uuid: "dendrite-test-uuid",
  });
}

async function failure(fakeFetch: FakeFetch, timeoutMs?: number): Promise<DendriteError> {
  return await assertRejects(() => call(fakeFetch, timeoutMs), DendriteError) as DendriteError;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Promise.resolve(
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    }),
  );

Deno.test("callAxon sends the SDK's request: URL, headers and a signature over the body hash", async () => {
  let seen: { url: string; headers: Headers; body: string } | undefined;
  await failure((url, init) => {
    seen = { url, headers: new Headers(init.headers), body: String(init.body) };
    return json(503, { message: "busy" });
  });
  assert(seen);
  assertEquals(seen.url, "http://198.51.100.4:8091/ZipcodeAssignment");
  const h = seen.headers;
  assertEquals(
    [h.get("name"), h.get("timeout"), h.get("bt_header_axon_hotkey"), h.get("bt_header_dendrite_version")],
    ["ZipcodeAssignment", "1.0", validator.address, "10002000"],
  );
  assertEquals(h.get("bt_header_dendrite_nonce"), `${BigInt(NOW) * 1_000_000n}`);
  assertEquals(h.get("bt_header_dendrite_uuid"), "dendrite-test-uuid");
  const message = synapseSigningMessage({
    nonce: BigInt(h.get("bt_header_dendrite_nonce")!),
    dendriteHotkey: miner.address,
    axonHotkey: validator.address,
    uuid: "dendrite-test-uuid",
    bodyHash: h.get("computed_body_hash")!,
  });
  assert(
    verifyHotkeySignature({
      message,
      signature: h.get("bt_header_dendrite_signature")!,
      hotkey: miner.address,
    }),
  );
  assertEquals(JSON.parse(seen.body).epochId, "2025-10-01T16-00-00");
});

Deno.test("failures map to the SDK dendrite's codes: 503 connect, 408 timeout, 422 unparseable", async () => {
  const refused = await failure(() => Promise.reject(new TypeError("connection refused")));
  assertEquals([refused.kind, refused.status], ["connect", 503]);

  const slow = await failure((_url, init) =>
    new Promise((_resolve, reject) => {
      init.signal!.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    }), 20);
  assertEquals([slow.kind, slow.status], ["timeout", 408]);

  const html = await failure(() => Promise.resolve(new Response("<html>", { status: 200 })));
  assertEquals([html.kind, html.status], ["parse", 422]);
});

Deno.test("an axon refusal carries its status and message", async () => {
  const error = await failure(() =>
    json(401, { message: "Not Verified with error: Nonce is too old" }, { bt_header_axon_status_code: "401" })
  );
  assertEquals([error.kind, error.status, error.message], [
    "refused",
    401,
    "Not Verified with error: Nonce is too old",
  ]);
});

Deno.test("HTTP 200 without an axon status of 200, or with the wrong shape, is not a success", async () => {
  const noStatus = await failure(() => json(200, {}));
  assertEquals([noStatus.kind, noStatus.status], ["refused", 422]);
  const bodyStatus = await failure(() => json(200, { axon: { status_code: 200 }, assignment: null }));
  assertEquals([bodyStatus.kind, bodyStatus.status], ["invalid-response", 422]);
});

Deno.test("createDendrite keeps one uuid and strictly increasing nonces within a millisecond", async () => {
  const nonces: bigint[] = [];
  const uuids = new Set<string>();
  const dendrite = createDendrite({
    pair: miner,
    clock: { now: () => new Date(NOW) },
    fetch: ((_url: string, init: RequestInit) => {
      const h = new Headers(init.headers);
      nonces.push(BigInt(h.get("bt_header_dendrite_nonce")!));
      uuids.add(h.get("bt_header_dendrite_uuid")!);
      return json(503, { message: "busy" });
    }) as typeof fetch,
  });
  for (let i = 0; i < 3; i++) {
    await assertRejects(() => dendrite.call(axon, ZipcodeAssignmentSynapse, {}, 1_000), DendriteError);
  }
  assertEquals(nonces.map((n) => n - nonces[0]), [0n, 1n, 2n]);
  assertEquals([...uuids], [dendrite.uuid]);
});

Deno.test("an IPv6 axon address is bracketed in the URL", async () => {
  let url = "";
  await assertRejects(() =>
    callAxon({
      pair: miner,
      axon: { ...axon, ip: "2001:db8::1" },
      synapse: ZipcodeAssignmentSynapse,
      body: {},
      timeoutMs: 1_000,
      clock: { now: () => new Date(NOW) },
      fetch: ((u: string) => {
        url = u;
        return json(503, { message: "busy" });
      }) as typeof fetch,
    }), DendriteError);
  assertEquals(url, "http://[2001:db8::1]:8091/ZipcodeAssignment");
});
