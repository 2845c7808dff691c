/**
 * Test support: an API assignment as the tests build it, for epoch 2025-10-01T16-00-00 (16:00-20:00 UTC,
 * deadline 19:45), ACTIVE, its metadata totals following the ZIPs it plans.
 * @module
 */
import type { AssignmentResponse, ZipcodeAssignment } from "../schemas/zipcode_assignments.ts";

/** The one Houston ZIP most fixtures plan. */
export const HOUSTON_ZIP: ZipcodeAssignment = {
  zipcode: "77001",
  expectedListings: 250,
  state: "TX",
  city: "Houston",
  county: null,
  marketTier: "PREMIUM",
  geographicRegion: "South",
};

/** The assignment of epoch 2025-10-01T16-00-00 planning `zipcodes`; `overrides` replace fields last. */
export function testAssignment(
  zipcodes: ZipcodeAssignment[] = [HOUSTON_ZIP],
  overrides: Partial<AssignmentResponse> = {},
): AssignmentResponse {
  return {
    success: true,
    epochId: "2025-10-01T16-00-00",
    epochStart: "2025-10-01T16:00:00.000Z",
    epochEnd: "2025-10-01T20:00:00.000Z",
    nonce: "0123456789abcdef0123456789abcdef",
    targetListings: 10000,
    tolerancePercent: 10,
    submissionDeadline: "2025-10-01T19:45:00.000Z",
    status: "ACTIVE",
    zipcodes,
    metadata: {
      totalExpectedListings: zipcodes.reduce((sum, z) => sum + z.expectedListings, 0),
      zipcodeCount: zipcodes.length,
      algorithmVersion: "v",
      selectionSeed: 1,
      targetMissed: false,
    },
    seedCommitment: "a".repeat(64),
    assignments: [],
    ...overrides,
  };
}
