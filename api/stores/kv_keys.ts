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
  /** The receipt of one part manifest of a hotkey for an epoch (at most MAX_MANIFEST_PARTS per hotkey). */
  receipt: (epochId: string, hotkey: string, manifestKey: string) =>
    ["receipts", epochId, hotkey, manifestKey] as const,
  receiptsOf: (epochId: string, hotkey: string) => ["receipts", epochId, hotkey] as const,
  receipts: (epochId: string) => ["receipts", epochId] as const,
  /** How many part receipts a hotkey holds for an epoch (guards the bound atomically). */
  receiptCount: (epochId: string, hotkey: string) => ["receiptCount", epochId, hotkey] as const,
  receiptCounts: (epochId: string) => ["receiptCount", epochId] as const,
  /** A miner's latest progress report for an epoch. */
  minerStatus: (epochId: string, hotkey: string) => ["minerStatus", epochId, hotkey] as const,
  minerStatuses: (epochId: string) => ["minerStatus", epochId] as const,
  /** A validator's one submission of validated counts for an epoch (a re-post replaces it). */
  validatedCounts: (epochId: string, validator: string) => ["validatedCounts", epochId, validator] as const,
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
  /** One API heartbeat per 5 s slot (the slot's start, ms), to tell later when the API was down. */
  heartbeat: (slotMs: number) => ["heartbeats", slotMs] as const,
  heartbeats: () => ["heartbeats"] as const,
  /** The receipts S3's write times earned for an epoch, once final (issue 18). */
  outageReceipts: (epochId: string) => ["outageReceipts", epochId] as const,
  /** The network pause switch. */
  paused: () => ["control", "paused"] as const,
} as const;
