import { assertEquals } from "../tests/assert.ts";
import { ApiClientError } from "../shared/api_client.ts";
import { createLogger } from "../shared/log.ts";
import { createAssignmentProvider } from "./assignment_source.ts";
import { testAssignment } from "../shared/testing/assignment_fixture.ts";

const assignment = testAssignment([]);

Deno.test("createAssignmentProvider() falls back to the cached assignment while the API is down", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let nowMs = Date.parse("2025-10-01T17:00:00Z");
    let apiUp = true;
    const provider = createAssignmentProvider({
      api: {
        name: "api",
        current: () =>
          apiUp
            ? Promise.resolve(assignment)
            : Promise.reject(new TypeError("error sending request: connection refused")),
      },
      stateDir: dir,
      clock: { now: () => new Date(nowMs) },
      log: createLogger({ sink: () => {}, clock: { now: () => new Date(nowMs) } }),
    });
    assertEquals((await provider.current())?.source, "api");
    apiUp = false;
    assertEquals(await provider.current(), { assignment, source: "cache" });
    nowMs = Date.parse("2025-10-01T20:00:00Z"); // the cached epoch is over: nothing to mine
    assertEquals(await provider.current(), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createAssignmentProvider() tries fallbacks (the validator relay seam) before the cache", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const provider = createAssignmentProvider({
      api: { name: "api", current: () => Promise.reject(new ApiClientError(503, "paused", "GET /current")) },
      fallbacks: [{ name: "relay", current: () => Promise.resolve(assignment) }],
      stateDir: dir,
      clock: { now: () => new Date("2025-10-01T17:00:00Z") },
      log: createLogger({ sink: () => {}, clock: { now: () => new Date() } }),
    });
    assertEquals((await provider.current())?.source, "relay");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
