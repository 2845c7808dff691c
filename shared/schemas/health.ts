/**
 * Wire schema of `GET /healthcheck`: RESI [C]'s fields plus the operational facts the contract asks for.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, IsoTimeSchema } from "./common.ts";

/** Response of `GET /healthcheck` (503 with the same body when unhealthy). */
export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "degraded", "unhealthy"]),
  timestamp: IsoTimeSchema,
  uptime: z.number(),
  database: z.enum(["connected", "error"]),
  version: z.string(),
  service: z.literal("zipmine-api"),
  paused: z.boolean(),
  metagraph: z.object({
    ageSeconds: z.number().nullable(),
    block: z.number().int().nullable(),
    stale: z.boolean(),
  }),
  currentEpoch: z.object({ id: EpochIdSchema, status: z.string() }).nullable(),
  nextEpoch: z.object({ id: EpochIdSchema, secondsUntilStart: z.number().int(), planned: z.boolean() }),
});
