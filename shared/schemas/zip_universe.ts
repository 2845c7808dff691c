/**
 * The ZIP universe the API draws assignments from: one record per US ZIP code with its expected number of
 * for-sale listings (the selection's currency) and the descriptive fields assignments carry.
 * @module
 */
import { z } from "zod";
import { MarketTierSchema } from "./zipcode_assignments.ts";
import { ZipcodeSchema } from "./common.ts";

/** One ZIP of the universe. */
export const ZipRecordSchema = z.object({
  zipcode: ZipcodeSchema,
  state: z.string().regex(/^[A-Z]{2}$/),
  city: z.string().min(1),
  county: z.string().nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  /** Expected for-sale listings: the initial estimate, then recalibrated from validated counts. */
  expectedListings: z.number().int().nonnegative(),
  marketTier: MarketTierSchema,
  /** US Census region: Northeast, Midwest, South or West. */
  geographicRegion: z.string(),
  /** Inactive ZIPs are never drawn (the operator can switch one off). */
  active: z.boolean(),
});
export type ZipRecord = z.infer<typeof ZipRecordSchema>;
