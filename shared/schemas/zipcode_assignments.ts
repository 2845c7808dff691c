/**
 * Wire schemas of the `/api/v1/zipcode-assignments/*` routes. Field names are camelCase as the live RESI
 * API ([C] in the contract) returns them; requests also accept the snake_case spellings of RESI [B].
 * @module
 */
import { z } from "zod";
import {
  EpochIdSchema,
  HotkeySchema,
  IsoTimeSchema,
  NonceSchema,
  Sha256Schema,
  SignedFieldsSchema,
  UnixSecondsSchema,
  withAliases,
  ZipcodeSchema,
} from "./common.ts";

/** Query of the signed GET routes (`/current`, `/epoch/{id}`, `/epoch/{id}/seed`, `/epoch/{id}/submissions`). */
export const SignedQuerySchema = SignedFieldsSchema;
export type SignedQuery = z.infer<typeof SignedQuerySchema>;

/** Market tiers, upper case as the live API sends them. */
export const MarketTierSchema = z.enum(["PREMIUM", "STANDARD", "EMERGING"]);

/** One assigned ZIP code. */
export const ZipcodeAssignmentSchema = z.object({
  zipcode: ZipcodeSchema,
  expectedListings: z.number().int().nonnegative(),
  state: z.string().length(2),
  city: z.string(),
  county: z.string().nullable(),
  marketTier: MarketTierSchema,
  geographicRegion: z.string(),
  latitude: z.number().nullable().optional(),
  longitude: z.number().nullable().optional(),
});
export type ZipcodeAssignment = z.infer<typeof ZipcodeAssignmentSchema>;

/** Epoch lifecycle states. */
export const EpochStatusSchema = z.enum(["PENDING", "ACTIVE", "COMPLETED", "ARCHIVED"]);

/** Response of `GET /current` and `GET /epoch/{epochId}`. */
export const AssignmentResponseSchema = z.object({
  success: z.literal(true),
  epochId: EpochIdSchema,
  epochStart: IsoTimeSchema,
  epochEnd: IsoTimeSchema,
  /** Must appear in every uploaded row; given only to authenticated hotkeys. */
  nonce: NonceSchema,
  targetListings: z.number().int(),
  tolerancePercent: z.number().int(),
  submissionDeadline: IsoTimeSchema,
  status: EpochStatusSchema,
  zipcodes: z.array(ZipcodeAssignmentSchema),
  metadata: z.object({
    totalExpectedListings: z.number().int(),
    zipcodeCount: z.number().int(),
    algorithmVersion: z.string(),
    selectionSeed: z.number().int(),
    /** True when the eligible universe could not reach the target band. */
    targetMissed: z.boolean(),
  }),
  /** SHA-256 (hex) of the validators' sampling seed, revealed after the deadline. */
  seedCommitment: Sha256Schema,
  /** Per-miner assignments; every miner gets the same list, so this stays empty (clients read it). */
  assignments: z.array(z.unknown()),
});
export type AssignmentResponse = z.infer<typeof AssignmentResponseSchema>;

/** Miner progress states. */
export const MinerStatusSchema = z.preprocess(
  (s) => (typeof s === "string" ? s.toUpperCase() : s),
  z.enum(["IN_PROGRESS", "COMPLETED", "FAILED", "TIMEOUT"]),
);

/** Body of `POST /status`. A COMPLETED status carries the manifest's SHA-256 and earns a receipt. */
export const StatusRequestSchema = withAliases(
  SignedFieldsSchema.extend({
    epochId: EpochIdSchema,
    nonce: NonceSchema,
    status: MinerStatusSchema,
    listingsScraped: z.number().int().nonnegative().optional(),
    zipcodesCompleted: z.array(z.object({
      zipcode: ZipcodeSchema,
      listingsScraped: z.number().int().nonnegative(),
      completedAt: IsoTimeSchema.optional(),
    })).max(1000).optional(),
    s3UploadComplete: z.boolean().default(false),
    s3UploadTimestamp: IsoTimeSchema.optional(),
    manifestSha256: Sha256Schema.optional(),
    /** The part manifest this COMPLETED is for (`.../parts/0000.json`); default the legacy `manifest.json`. */
    manifestKey: z.string().min(1).max(256).optional(),
  }),
  {
    manifest_key: "manifestKey",
    epoch_id: "epochId",
    listings_scraped: "listingsScraped",
    zipcodes_completed: "zipcodesCompleted",
    s3_upload_complete: "s3UploadComplete",
    s3_upload_timestamp: "s3UploadTimestamp",
    manifest_sha256: "manifestSha256",
  },
);
export type StatusRequest = z.infer<typeof StatusRequestSchema>;

/** A server-attested submission: the API's own clock, never the miner's claim. */
export const SubmissionReceiptSchema = z.object({
  hotkey: HotkeySchema,
  epochId: EpochIdSchema,
  /** The part manifest the receipt is for (the legacy `manifest.json` when absent). */
  manifestKey: z.string().optional(),
  manifestSha256: Sha256Schema,
  receivedAt: IsoTimeSchema,
  /**
   * What timed it: the API (`api`, the default when absent) or, for a part uploaded while the API was
   * down, S3's write time (`s3-outage`, `shared/outage_receipts.ts`).
   */
  basis: z.enum(["api", "s3-outage"]).optional(),
});
export type SubmissionReceipt = z.infer<typeof SubmissionReceiptSchema>;

/** Response of `POST /status`. */
export const StatusResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  epochId: EpochIdSchema,
  status: MinerStatusSchema,
  timestamp: IsoTimeSchema,
  /** The receipt of the reported part manifest (the first COMPLETED for it wins). */
  receipt: SubmissionReceiptSchema.optional(),
});

/** Response of `GET /epoch/{epochId}/submissions` (validators). */
export const SubmissionsResponseSchema = z.object({
  success: z.literal(true),
  epochId: EpochIdSchema,
  /** The earliest part receipt of each hotkey, which is what speed is ranked on. */
  submissions: z.array(SubmissionReceiptSchema),
  /** Each hotkey's other part receipts (at most MAX_MANIFEST_PARTS per hotkey in all). */
  history: z.array(SubmissionReceiptSchema),
});

/** Response of `GET /epoch/{epochId}/seed` (validators, after the submission deadline). */
export const SeedResponseSchema = z.object({
  success: z.literal(true),
  epochId: EpochIdSchema,
  seed: z.string().regex(/^[0-9a-f]{64}$/),
  seedCommitment: Sha256Schema,
});

/** Body of `POST /epoch/{epochId}/validated-counts` (validators): per-ZIP unique valid listings. */
export const ValidatedCountsRequestSchema = SignedFieldsSchema.extend({
  counts: z.array(z.object({ zipcode: ZipcodeSchema, validatedListings: z.number().int().nonnegative() }))
    .min(1).max(1000),
});

/** Response of the public `GET /stats`; it never carries the nonce or the sampling seed. */
export const StatsResponseSchema = z.object({
  success: z.literal(true),
  currentTime: UnixSecondsSchema,
  systemStatus: z.enum(["operational", "paused", "degraded"]),
  epochStatus: z.object({
    currentEpoch: z.object({
      id: EpochIdSchema,
      status: EpochStatusSchema,
      startTime: IsoTimeSchema,
      endTime: IsoTimeSchema,
      zipcodeCount: z.number().int(),
      targetListings: z.number().int(),
      actualExpected: z.number().int(),
      timeUntilEpochEnd: z.number().int(),
    }).nullable(),
    timing: z.object({
      timeUntilEpochEnd: z.number().int(),
      timeUntilNextEpoch: z.number().int(),
      epochDurationHours: z.number(),
    }),
    nextEpoch: z.object({ startTime: IsoTimeSchema }),
  }),
  zipcodeStatistics: z.object({
    totalZipcodes: z.number().int(),
    activeZipcodes: z.number().int(),
    inactiveZipcodes: z.number().int(),
    stateDistribution: z.array(
      z.object({ state: z.string(), count: z.number().int(), avgListings: z.number() }),
    ),
    tierDistribution: z.array(
      z.object({ tier: z.string(), count: z.number().int(), avgListings: z.number() }),
    ),
    configuration: z.object({
      targetListings: z.number().int(),
      tolerancePercent: z.number().int(),
      cooldownHours: z.number().int(),
      minListings: z.number().int(),
      maxListings: z.number().int(),
    }),
  }),
  recentPerformance: z.array(z.object({
    epochId: EpochIdSchema,
    status: EpochStatusSchema,
    zipcodesAssigned: z.number().int(),
    targetListings: z.number().int(),
    actualExpected: z.number().int(),
  })),
});

/**
 * `GET /current` and `GET /epoch/{id}`: the assignment plus the API's signature over it (the message is
 * `shared/assignment_signature.ts`'s, computed over the assignment's own fields only), so a validator can
 * relay it to miners and a miner can tell it was not altered.
 */
export const SignedAssignmentResponseSchema = AssignmentResponseSchema.extend({
  apiSignature: z.string().regex(/^0x[0-9a-f]{128}$/),
  apiHotkey: HotkeySchema,
});
export type SignedAssignmentResponse = z.infer<typeof SignedAssignmentResponseSchema>;

/** `GET /api/v1/public-key`: the address the API signs assignments with. */
export const PublicKeyResponseSchema = z.object({ success: z.literal(true), apiHotkey: HotkeySchema });
