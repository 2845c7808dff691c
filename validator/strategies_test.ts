import { assertEquals } from "../tests/assert.ts";
import { parseEvidence } from "../shared/schemas/evidence.ts";
import { MALFORMED_EVIDENCE, strategyUpload } from "./strategies.ts";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const EVIDENCE_KEY = `validators/${HOTKEY}/epoch=2025-10-01T16-00-00/evidence/spot_checks.json`;

Deno.test("malformed_evidence puts junk before the real entries of the evidence file only", async () => {
  const sent = new Map<string, string>();
  const upload = strategyUpload("malformed_evidence", (key, bytes) => {
    sent.set(key, new TextDecoder().decode(bytes));
    return Promise.resolve();
  });
  const real = [{ miner: HOTKEY, zpid: "123", outcome: "valid" }];
  await upload(EVIDENCE_KEY, new TextEncoder().encode(JSON.stringify(real)), 0);
  await upload("validators/x/report.json", new TextEncoder().encode("{}"), 0);
  const published = parseEvidence(JSON.parse(sent.get(EVIDENCE_KEY)!));
  assertEquals([published.entries, published.dropped], [real, MALFORMED_EVIDENCE.length]);
  assertEquals(sent.get("validators/x/report.json"), "{}");
  assertEquals(strategyUpload("honest", upload), upload);
});

Deno.test("lying publishes every conclusive outcome flipped and leaves unknowns", async () => {
  let sent = "";
  const upload = strategyUpload("lying", (_key, bytes) => {
    sent = new TextDecoder().decode(bytes);
    return Promise.resolve();
  });
  const real = [
    { miner: HOTKEY, zpid: "1", outcome: "valid" },
    { miner: HOTKEY, zpid: "2", outcome: "invalid", reason: "price differs" },
    { miner: HOTKEY, zpid: "3", outcome: "unknown", reason: "blocked" },
  ];
  await upload(EVIDENCE_KEY, new TextEncoder().encode(JSON.stringify(real)), 0);
  const published = parseEvidence(JSON.parse(sent));
  assertEquals(published.dropped, 0);
  assertEquals(published.entries.map((e) => [e.zpid, e.outcome]), [["1", "invalid"], ["2", "valid"], [
    "3",
    "unknown",
  ]]);
  assertEquals(published.entries[1].reason, undefined);
});
