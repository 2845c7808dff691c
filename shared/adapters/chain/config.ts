/**
 * The chain the miner, the validator and localnet open (`open_chain.ts`).
 * @module
 */
import { z } from "zod";
import { knob, type Resolved } from "../../config.ts";

export const CHAIN_KNOBS = {
  CHAIN_ENDPOINT: knob(
    z.string().trim().regex(/^(local:.+|wss?:\/\/.+|finney|test)$/, {
      error: "expected local:<kv-path>, finney, test or a ws(s):// URL",
    }),
    "finney",
    "The chain: finney (default), test, a ws(s) URL, or local:<path> (the development chain of localnet and tests)",
    ["validator", "miner", "localnet"],
  ),
} as const;

/** The chain knobs, resolved. */
export type ChainConfig = Resolved<typeof CHAIN_KNOBS>;
