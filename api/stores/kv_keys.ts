/**
 * Every Deno KV key family of the API, in one place. Values that must expire carry an explicit
 * `expiresAt` (ms) that readers check: KV's `expireIn` is only a lazy clean-up hint (it lags by ~60 s).
 * @module
 */

export const kvKeys = {
  /** The plan of one epoch (`EpochPlan`). */
  epoch: (epochId: string) => ["epochs", epochId] as const,
  epochs: () => ["epochs"] as const,
  /** When a ZIP was last assigned (ms), for the cooldown. */
  lastAssigned: (zipcode: string) => ["lastAssigned", zipcode] as const,
  lastAssignedAll: () => ["lastAssigned"] as const,
  /** A used signature, so it is accepted once (`{ expiresAt }`). */
  replay: (signature: string) => ["replay", signature] as const,
  /** Requests of a hotkey on a route class within one fixed window. */
  rate: (routeClass: string, hotkey: string, windowStart: number) =>
    ["rate", routeClass, hotkey, windowStart] as const,
  rates: () => ["rate"] as const,
  /** The first COMPLETED receipt of a hotkey for an epoch, and later ones by time. */
  receipt: (epochId: string, hotkey: string) => ["receipts", epochId, hotkey] as const,
  receipts: (epochId: string) => ["receipts", epochId] as const,
  receiptHistory: (epochId: string, hotkey: string, at: number) =>
    ["receiptHistory", epochId, hotkey, at] as const,
  receiptHistoryAll: (epochId: string) => ["receiptHistory", epochId] as const,
  /** A miner's latest progress report for an epoch. */
  minerStatus: (epochId: string, hotkey: string) => ["minerStatus", epochId, hotkey] as const,
  minerStatuses: (epochId: string) => ["minerStatus", epochId] as const,
  /** A validator's validated count for one ZIP of one epoch. */
  validatedCount: (epochId: string, zipcode: string, validator: string) =>
    ["validatedCounts", epochId, zipcode, validator] as const,
  validatedCounts: (epochId: string, zipcode: string) => ["validatedCounts", epochId, zipcode] as const,
  validatedCountsOfEpoch: (epochId: string) => ["validatedCounts", epochId] as const,
  /** A ZIP's recalibrated expected listings, overriding the universe table. */
  expected: (zipcode: string) => ["expected", zipcode] as const,
  expectedAll: () => ["expected"] as const,
  /** The operator's imported universe, in chunks (a KV value holds at most 64 KiB). */
  universeMeta: () => ["universe", "meta"] as const,
  universeChunk: (i: number) => ["universe", "chunk", i] as const,
  /** The sealed plan published ahead for one epoch (`SealedPlan`, issue 18). */
  sealedPlan: (epochId: string) => ["sealedPlans", epochId] as const,
  sealedPlans: () => ["sealedPlans"] as const,
  /** The network pause switch. */
  paused: () => ["control", "paused"] as const,
} as const;
