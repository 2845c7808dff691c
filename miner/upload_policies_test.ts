import { assertEquals, assertRejects } from "../tests/assert.ts";
import { ApiClientError } from "../shared/api_client.ts";
import { createLogger } from "../shared/log.ts";
import type { HeldUploadPolicy } from "../shared/schemas/s3_access.ts";
import { createHeldPolicies } from "./upload_policies.ts";

const OPTIONS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };
const N = "2025-10-01T16-00-00";
const N1 = "2025-10-01T20-00-00";

function policy(epochId: string, expiry: string): HeldUploadPolicy {
  return {
    epoch_id: epochId,
    folder: `data/hotkey=5M/epoch=${epochId}/`,
    url: "http://s3",
    fields: {},
    expiry,
  };
}

async function setup(folderAccess: () => Promise<never>) {
  const stateDir = await Deno.makeTempDir();
  let nowMs = Date.parse("2025-10-01T16:30:00Z");
  const lines: string[] = [];
  const held = createHeldPolicies({
    api: {
      folderAccess,
      uploadPoliciesAhead: () =>
        Promise.resolve({
          success: true as const,
          policies: [policy(N, "2025-10-01T19:45:00.000Z"), policy(N1, "2025-10-01T23:45:00.000Z")],
        }),
    },
    coldkey: "5M",
    stateDir,
    epochOptions: OPTIONS,
    clock: { now: () => new Date(nowMs) },
    log: createLogger({ sink: (l) => lines.push(l), clock: { now: () => new Date(nowMs) } }),
  });
  return { held, lines, stateDir, at: (iso: string) => (nowMs = Date.parse(iso)) };
}

Deno.test("held policies: with the API unreachable the running epoch's held policy is used", async () => {
  const s = await setup(() => Promise.reject(new TypeError("connection refused")));
  await s.held.sync();
  s.at("2025-10-01T21:00:00Z"); // N+1 is running and the API is down
  assertEquals((await s.held.credentials()).expiry, "2025-10-01T23:45:00.000Z");
  assertEquals(s.lines.some((l) => l.includes("upload policy issued ahead used") && l.includes(N1)), true);
  s.at("2025-10-01T23:45:00Z"); // past N+1's deadline: nothing is held for it any more
  await assertRejects(() => s.held.credentials(), TypeError);
  await Deno.remove(s.stateDir, { recursive: true });
});

Deno.test("held policies: a refusal by the API is never overridden, and nothing is held for an unknown epoch", async () => {
  const refused = await setup(() => Promise.reject(new ApiClientError(403, "window closed", "POST /x")));
  await refused.held.sync();
  await assertRejects(() => refused.held.credentials(), ApiClientError);
  const down = await setup(() => Promise.reject(new TypeError("connection refused")));
  down.at("2025-10-02T01:00:00Z"); // never synced that far
  await assertRejects(() => down.held.credentials(), TypeError);
  await Deno.remove(refused.stateDir, { recursive: true });
  await Deno.remove(down.stateDir, { recursive: true });
});

Deno.test("held policies: sync drops expired policies", async () => {
  const s = await setup(() => Promise.reject(new TypeError("down")));
  await s.held.sync();
  s.at("2025-10-01T20:30:00Z");
  await s.held.sync();
  assertEquals(await s.held.held(N), null);
  assertEquals((await s.held.held(N1))?.epoch_id, N1);
  await Deno.remove(s.stateDir, { recursive: true });
});
