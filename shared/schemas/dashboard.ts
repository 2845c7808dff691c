/**
 * Wire schemas of the public dashboard's JSON: the current epoch (`GET /api/v1/dashboard/current`) and the
 * recent judged epochs (`GET /api/v1/dashboard/epochs`). Both are public, so neither carries the nonce, the
 * sampling seed, its commitment, spot-checked listings or check details: nothing a miner could use.
 * Shares and scores are fractions of 1.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, IsoTimeSchema, ZipcodeSchema } from "./common.ts";
import { EpochStatusSchema, MarketTierSchema } from "./zipcode_assignments.ts";

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

/** One assigned ZIP code as the dashboard shows it. */
export const DashboardZipSchema = z.object({
  zipcode: ZipcodeSchema,
  city: z.string(),
  state: z.string().length(2),
  county: z.string().nullable(),
  marketTier: MarketTierSchema,
  expectedListings: count,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});
export type DashboardZip = z.infer<typeof DashboardZipSchema>;

/** Response of `GET /api/v1/dashboard/current`. */
export const DashboardCurrentSchema = z.object({
  success: z.literal(true),
  /** The API's clock, so a browser counts down on server time. */
  serverTime: IsoTimeSchema,
  systemStatus: z.enum(["operational", "paused"]),
  epoch: z.object({
    id: EpochIdSchema,
    status: EpochStatusSchema,
    start: IsoTimeSchema,
    end: IsoTimeSchema,
    submissionDeadline: IsoTimeSchema,
    targetListings: count,
    tolerancePercent: count,
    expectedListings: count,
    zipcodeCount: count,
    /** True when the eligible ZIPs could not reach the target band. */
    targetMissed: z.boolean(),
  }),
  zipcodes: z.array(DashboardZipSchema),
  /** Miners by their latest reported status this epoch, and the server-timed submission receipts. */
  miners: z.object({
    inProgress: count,
    completed: count,
    failed: count,
    timedOut: count,
    receipts: count,
  }),
});
export type DashboardCurrent = z.infer<typeof DashboardCurrentSchema>;

/** Query of `GET /api/v1/dashboard/epochs`. */
export const DashboardEpochsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(24).default(8),
});

/** One miner's verdict in a judged epoch. */
export const DashboardMinerSchema = z.object({
  hotkey: HotkeySchema,
  uid: z.number().int().nullable(),
  rank: z.number().int().nullable(),
  score: fraction,
  /** Its share of the epoch's weights (the burn included in the total). */
  share: fraction,
  uniqueListings: count,
  submittedAt: IsoTimeSchema.nullable(),
  /** Names of the checks it failed. */
  failedChecks: z.array(z.string()),
  /** Why the score is 0, when it is. */
  reason: z.string().nullable(),
});
export type DashboardMiner = z.infer<typeof DashboardMinerSchema>;

/** One recent epoch that has ended, judged or not yet. */
export const DashboardEpochSchema = z.object({
  id: EpochIdSchema,
  start: IsoTimeSchema,
  end: IsoTimeSchema,
  zipcodeCount: count,
  expectedListings: count,
  /** True once at least one validator published its report. */
  judged: z.boolean(),
  /** The reference validator's count: the best valid count per ZIP over scoring miners, summed. */
  validatedListings: count.nullable(),
  /** The reporting validator with the most stake; miners and winners are as it published them. */
  referenceValidator: HotkeySchema.nullable(),
  validators: z.array(z.object({
    hotkey: HotkeySchema,
    stake: z.number().nullable(),
    publishedAt: IsoTimeSchema,
    validatedListings: count,
    /** Whether its report re-derives from its published facts and evidence (`shared/audit/`). */
    audit: z.object({
      /** null: it published no `audit/facts.json`. */
      rederives: z.boolean().nullable(),
      disagreements: count,
      first: z.string().nullable(),
    }),
  })),
  /** 1 − half the L1 distance between two validators' normalised weights, least-agreeing pair; null below 2. */
  agreement: fraction.nullable(),
  winners: z.array(z.object({ hotkey: HotkeySchema, rank: z.number().int(), share: fraction })),
  /** The share burned to the subnet owner, when any. */
  burnShare: fraction.nullable(),
  miners: z.array(DashboardMinerSchema),
});
export type DashboardEpoch = z.infer<typeof DashboardEpochSchema>;

/** Response of `GET /api/v1/dashboard/epochs`. */
export const DashboardEpochsSchema = z.object({
  success: z.literal(true),
  generatedAt: IsoTimeSchema,
  /** False when the validator bucket could not be read; epochs then show no reports. */
  reportsAvailable: z.boolean(),
  /** Newest first. */
  epochs: z.array(DashboardEpochSchema),
  /** Per validator, over the judged epochs shown (newest first): whether each of its reports re-derived. */
  auditHistory: z.array(z.object({
    hotkey: HotkeySchema,
    epochs: z.array(z.object({ id: EpochIdSchema, rederives: z.boolean().nullable() })),
  })),
});
export type DashboardEpochs = z.infer<typeof DashboardEpochsSchema>;
