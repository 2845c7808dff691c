/**
 * The knobs of opening sealed plans and trusting API-signed assignments without the API (miner and
 * validator; `sync.ts`).
 * @module
 */
import { z } from "zod";
import { QUICKNET } from "../../chain/tlock/drand.ts";
import { knob, type Resolved } from "../../config.ts";

export const SEALED_PLAN_KNOBS = {
  DRAND_RELAY_URLS: knob(
    z.string().trim().regex(/^(https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*)?$/, {
      error: "expected comma-separated http(s) URLs",
    }).transform((s) => (s === "" ? [] : s.split(","))),
    `https://api.drand.sh/${QUICKNET.chainHash},https://drand.cloudflare.com/${QUICKNET.chainHash}`,
    "drand HTTP relays (base URL of the chain: {url}/public/{round}) to open sealed plans when the API is down",
    ["miner", "validator"],
  ),
  API_ASSIGNMENT_HOTKEYS: knob(
    z.string().trim().regex(/^([1-9A-HJ-NP-Za-km-z]{48}(,[1-9A-HJ-NP-Za-km-z]{48})*)?$/, {
      error: "expected comma-separated SS58 addresses",
    }).transform((s) => (s === "" ? [] : s.split(","))),
    "",
    "API addresses whose signed assignments and sealed plans are trusted (empty: learn it from the API)",
    ["miner", "validator"],
  ),
} as const;

/** The sealed-plan knobs, resolved. */
export type SealedPlanConfig = Resolved<typeof SEALED_PLAN_KNOBS>;
