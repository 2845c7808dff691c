/**
 * A metagraph snapshot: who is registered on the subnet, with stake and validator permits. The API's
 * `METAGRAPH_SOURCE=file:<path>` reads exactly this JSON; the chain adapter produces the same shape.
 * @module
 */
import { z } from "zod";
import { HotkeySchema } from "./common.ts";

/** One registered neuron. */
export const NeuronSchema = z.object({
  uid: z.number().int().nonnegative(),
  hotkey: HotkeySchema,
  coldkey: z.string(),
  /** Alpha stake on the subnet, in whole alpha. */
  stake: z.number().nonnegative(),
  validatorPermit: z.boolean(),
  axon: z.object({ ip: z.string(), port: z.number().int().min(0).max(65_535) }).nullable().optional(),
});
export type Neuron = z.infer<typeof NeuronSchema>;

/** A whole metagraph at one block. */
export const MetagraphSnapshotSchema = z.object({
  netuid: z.number().int().nonnegative(),
  block: z.number().int().nonnegative(),
  neurons: z.array(NeuronSchema),
});
export type MetagraphSnapshot = z.infer<typeof MetagraphSnapshotSchema>;
