import { assertEquals } from "../tests/assert.ts";
import { epochById } from "./epoch.ts";
import { actionWindow, checkWindow, credentialSeconds, EPOCH_ACTIONS, openActions } from "./epoch_windows.ts";

const OPTIONS = { epochSeconds: 14_400, uploadLeadSeconds: 900 };
const WINDOWS = { evidenceLeadSeconds: 1800 };
const N = epochById("2025-10-01T16-00-00", OPTIONS);
const at = (iso: string) => Date.parse(iso);

Deno.test("openActions() walks epoch N's life: mining, sealed, judged, closed", () => {
  const cases: [string, string[]][] = [
    ["2025-10-01T15:59:59.999Z", []],
    ["2025-10-01T16:00:00.000Z", ["minerUpload", "minerUploadAhead", "receipt", "progress"]],
    ["2025-10-01T19:44:59.999Z", ["minerUpload", "minerUploadAhead", "receipt", "progress"]],
    ["2025-10-01T19:45:00.000Z", ["progress", "validatorRead"]],
    ["2025-10-01T20:00:00.000Z", ["validatorRead", "validatorEvidence", "validatorReport", "calibration"]],
    ["2025-10-01T23:30:00.000Z", ["validatorRead", "validatorReport", "calibration"]],
    ["2025-10-02T00:00:00.000Z", []],
  ];
  for (const [iso, open] of cases) assertEquals(openActions(N, at(iso), WINDOWS), open, iso);
});

Deno.test("miner writes of N+1 and validator reads of N+1 never overlap", () => {
  const next = epochById("2025-10-01T20-00-00", OPTIONS);
  const write = actionWindow(next, "minerUpload", WINDOWS);
  const read = actionWindow(next, "validatorRead", WINDOWS);
  assertEquals(write.until <= read.from, true);
  for (const action of EPOCH_ACTIONS) {
    const w = actionWindow(N, action, WINDOWS);
    assertEquals(w.from <= w.until, true, action);
  }
});

Deno.test("checkWindow() says when a window opens or closed; credentialSeconds() never outlives it", () => {
  const early = checkWindow(N, "validatorRead", at("2025-10-01T17:00:00Z"), WINDOWS);
  assertEquals(early.open ? null : [early.reason, early.message], [
    "not_yet_open",
    "validator reads of miner files for epoch 2025-10-01T16-00-00 open at 2025-10-01T19:45:00.000Z",
  ]);
  const late = checkWindow(N, "receipt", at("2025-10-01T19:45:00Z"), WINDOWS);
  assertEquals(late.open ? null : late.reason, "closed");
  const upload = actionWindow(N, "minerUpload", WINDOWS);
  assertEquals(credentialSeconds(upload, at("2025-10-01T16:30:00Z"), 3600), 3600);
  assertEquals(credentialSeconds(upload, at("2025-10-01T19:30:00.500Z"), 3600), 899);
  assertEquals(credentialSeconds(upload, at("2025-10-01T19:44:59.500Z"), 3600), 0);
});

Deno.test("an evidence lead longer than the window leaves no evidence window at all", () => {
  const w = actionWindow(N, "validatorEvidence", { evidenceLeadSeconds: 20_000 });
  assertEquals(w.from, w.until);
});

Deno.test("minerUploadAhead: N's policy may be issued K epochs early and still ends at N's deadline", () => {
  const ahead = { ...WINDOWS, uploadPoliciesAhead: 2 };
  const w = actionWindow(N, "minerUploadAhead", ahead);
  assertEquals(w, { from: at("2025-10-01T08:00:00.000Z"), until: N.submissionDeadline });
  assertEquals(checkWindow(N, "minerUploadAhead", at("2025-10-01T07:59:59.999Z"), ahead).open, false);
  assertEquals(checkWindow(N, "minerUploadAhead", N.submissionDeadline, ahead).open, false);
  // Issued ahead or not, no policy for N+1 is left when N+1 becomes readable.
  const next = epochById("2025-10-01T20-00-00", OPTIONS);
  assertEquals(
    actionWindow(next, "minerUploadAhead", ahead).until,
    actionWindow(next, "validatorRead", ahead).from,
  );
});
