import { assert, assertEquals } from "../tests/assert.ts";
import {
  ASSIGNMENT_SIGNATURE_PREFIX,
  assignmentSigningMessage,
  signAssignment,
  verifySignedAssignment,
} from "./assignment_signature.ts";
import { canonicalSha256 } from "./canonical_json.ts";
import type { AssignmentResponse } from "./schemas/zipcode_assignments.ts";
import { createKeyring, cryptoReady, signMessage } from "./signature.ts";
import { testAssignment } from "./testing/assignment_fixture.ts";

await cryptoReady();
const api = createKeyring().addFromUri("//assignment-signature/api");
const validator = createKeyring().addFromUri("//assignment-signature/validator");

const assignment = testAssignment();
const trust = { apiHotkeys: api.address };
const during = Date.parse("2025-10-01T17:00:00Z");

Deno.test("the signed message is the prefix and the canonical SHA-256 of the assignment", () => {
  assertEquals(
    assignmentSigningMessage(assignment),
    `${ASSIGNMENT_SIGNATURE_PREFIX}${canonicalSha256(assignment)}`,
  );
  // Extra keys a relay adds do not change what is signed.
  const padded = { ...assignment, relayedBy: "x" } as AssignmentResponse;
  assertEquals(assignmentSigningMessage(padded), assignmentSigningMessage(assignment));
});

Deno.test("an API-signed assignment verifies after a JSON round trip", () => {
  const relayed = JSON.parse(JSON.stringify(signAssignment(api, assignment)));
  const verdict = verifySignedAssignment(relayed, { ...trust, now: during, epochId: assignment.epochId });
  assert(verdict.ok);
  assertEquals(verdict.signed.assignment.zipcodes[0].zipcode, "77001");
});

Deno.test("a relayed assignment with a bad API signature is refused", () => {
  const signed = signAssignment(api, assignment);
  // The relay changed the ZIP list after signing.
  const altered = {
    ...signed,
    assignment: { ...signed.assignment, zipcodes: [{ ...signed.assignment.zipcodes[0], zipcode: "90210" }] },
  };
  assertEquals(verifySignedAssignment(altered, trust), {
    ok: false,
    reason: "bad-signature",
    detail: "the API signature does not verify",
  });
  // The relay signed it itself but claims the API's address.
  const forged = {
    ...signed,
    apiSignature: signMessage(validator, assignmentSigningMessage(assignment)),
  };
  assertEquals(verifySignedAssignment(forged, trust).ok, false);
  // Garbage in the signature field.
  assertEquals(verifySignedAssignment({ ...signed, apiSignature: `0x${"00".repeat(64)}` }, trust).ok, false);
});

Deno.test("an assignment signed by a key other than the published API key is refused", () => {
  const byValidator = signAssignment(validator, assignment);
  const verdict = verifySignedAssignment(byValidator, trust);
  assert(!verdict.ok);
  assertEquals(verdict.reason, "untrusted-key");
  // A rotation list trusts both keys.
  assert(verifySignedAssignment(byValidator, { apiHotkeys: [api.address, validator.address] }).ok);
});

Deno.test("stale, other-epoch and malformed relays are refused", () => {
  const signed = signAssignment(api, assignment);
  const expired = verifySignedAssignment(signed, { ...trust, now: Date.parse("2025-10-01T20:00:00Z") });
  assert(!expired.ok && expired.reason === "expired");
  const other = verifySignedAssignment(signed, { ...trust, epochId: "2025-10-01T20-00-00" });
  assert(!other.ok && other.reason === "wrong-epoch");
  const malformed = verifySignedAssignment(
    { assignment: {}, apiSignature: "x", apiHotkey: api.address },
    trust,
  );
  assert(!malformed.ok && malformed.reason === "malformed");
  assertEquals(verifySignedAssignment(null, trust).ok, false);
});
