import { assertEquals, assertThrows } from "../tests/assert.ts";
import { buildCommitment, commitmentTemplates, statusCommitments } from "./commitment.ts";

Deno.test("statusCommitments() accepts RESI's two forms for statuses that earn nothing", () => {
  assertEquals(
    statusCommitments({
      hotkey: "5Abc",
      epochId: "2025-10-01T16-00-00",
      timestamp: 1,
      status: "IN_PROGRESS",
    }),
    ["zipcode:status:2025-10-01T16-00-00:1", "miner:status:5Abc:2025-10-01T16-00-00:1"],
  );
});

Deno.test("statusCommitments() binds COMPLETED to the manifest key and hash, and only that form", () => {
  const base = { hotkey: "5Abc", epochId: "2025-10-01T16-00-00", timestamp: 1, status: "COMPLETED" };
  assertEquals(statusCommitments({ ...base, manifestKey: "k/manifest.json", manifestSha256: "ff" }), [
    "zipcode:receipt:2025-10-01T16-00-00:COMPLETED:k/manifest.json:ff:1",
  ]);
  assertThrows(
    () => statusCommitments({ ...base, manifestKey: "k/manifest.json" }),
    RangeError,
    "manifestSha256",
  );
});

Deno.test("buildCommitment() refuses parameters that would shift the fields", () => {
  assertThrows(
    () => buildCommitment("epochAssignment", { epochId: "a:b", timestamp: 1 }),
    RangeError,
    "contains",
  );
  assertThrows(() => buildCommitment("status", { epochId: "", timestamp: 1 }), RangeError, "empty");
  assertThrows(() => buildCommitment("currentAssignment", { timestamp: 1.5 }), RangeError, "not an integer");
});

Deno.test("commitmentTemplates() documents every commitment", () => {
  const t = commitmentTemplates();
  assertEquals(t.folderAccess, "s3:data:access:{coldkey}:{hotkey}:{timestamp}");
  assertEquals(t.uploadPoliciesAhead, "s3:data:access-ahead:{coldkey}:{hotkey}:{timestamp}");
  assertEquals(t.minerSpecificAccess, "s3:validator:miner:{minerHotkey}:{timestamp}");
  assertEquals(Object.keys(t).length, 14);
});
