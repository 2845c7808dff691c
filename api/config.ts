/**
 * The API's knobs: ZIP selection, the server, its limits and presigning, sealed-plan publishing. Its table is
 * the core (shared/config.ts), the object-storage knobs and these; the admin tools read only `KV_PATH`.
 * @module
 */
import { z } from "zod";
import { CORE_KNOBS, coreChecks, integer, knob, parseKnobs, type Resolved, text } from "../shared/config.ts";
import { S3_KNOBS } from "../shared/adapters/s3/config.ts";

const metagraphSource = z.string().trim().regex(/^(file:.+|chain:wss?:\/\/.+)$/, {
  error: "expected file:<path> or chain:<ws(s)-url>",
});

/** The knobs only the API reads. */
export const API_KNOBS = {
  // ZIP-code selection.
  TARGET_LISTINGS: knob(integer(1), "10000", "Expected listings per epoch that the ZIP selection aims at", [
    "api",
  ]),
  TOLERANCE_PERCENT: knob(integer(0, 100), "10", "Selection may land within +- this percent of the target", [
    "api",
  ]),
  MIN_ZIPCODE_LISTINGS: knob(integer(0), "200", "ZIPs expected to hold fewer listings are not eligible", [
    "api",
  ]),
  MAX_ZIPCODE_LISTINGS: knob(integer(1), "3000", "ZIPs expected to hold more listings are not eligible", [
    "api",
  ]),
  COOLDOWN_HOURS: knob(integer(0), "24", "A ZIP assigned within this many hours is not eligible again", [
    "api",
  ]),

  // The server.
  API_PORT: knob(integer(1, 65_535), "8000", "Port the API listens on", ["api"]),
  API_VERIFY_WORKERS: knob(
    integer(0, 64),
    "1",
    "Threads checking signatures off the main isolate (0: inline; Deploy: inline)",
    [
      "api",
    ],
  ),
  API_HOSTNAME: knob(text, "0.0.0.0", "Interface the API listens on (127.0.0.1 for local only)", ["api"]),
  KV_PATH: knob(
    text,
    "./.zipmine/api.kv",
    "Deno KV of the API: a file, or a KV connect URL; unset on Deno Deploy",
    [
      "api",
      "admin",
    ],
  ),
  EPOCH_SECRET: knob(
    text.min(32, "expected at least 32 characters"),
    undefined,
    "Secret for ZIP selection, nonces and sampling seeds (>= 32 chars)",
    ["api"],
    { secret: true },
  ),
  METAGRAPH_SOURCE: knob(
    metagraphSource,
    "file:./.zipmine/metagraph.json",
    "Where the API reads the metagraph: file:<path> or chain:<wss-url>",
    ["api"],
  ),
  VALIDATOR_MIN_STAKE: knob(
    integer(0),
    "20000",
    "Alpha stake a permitted validator needs for validator routes",
    [
      "api",
    ],
  ),
  PLAN_LEAD_SECONDS: knob(integer(0), "900", "Epoch plans are created this long before the epoch starts", [
    "api",
  ]),
  HISTORY_RETENTION_DAYS: knob(
    integer(1, 3650),
    "30",
    "Epoch plans, receipts and counts are kept this many days",
    [
      "api",
    ],
  ),
  METAGRAPH_MAX_AGE_SECONDS: knob(
    integer(10),
    "900",
    "Authenticated routes answer 503 when the metagraph is older",
    [
      "api",
    ],
  ),
  SIGNATURE_MAX_AGE_SECONDS: knob(integer(1, 3600), "300", "Signed requests older than this are refused", [
    "api",
  ]),
  SIGNATURE_MAX_FUTURE_SECONDS: knob(
    integer(0, 600),
    "60",
    "Signed requests dated further ahead are refused",
    [
      "api",
    ],
  ),
  MINER_RATE_LIMIT_PER_MINUTE: knob(
    integer(1),
    "30",
    "Authenticated requests per minute per hotkey on miner routes",
    [
      "api",
    ],
  ),
  VALIDATOR_RATE_LIMIT_PER_MINUTE: knob(
    integer(1),
    "1200",
    "Authenticated requests per minute per validator",
    [
      "api",
    ],
  ),
  PREAUTH_RATE_LIMIT_PER_MINUTE: knob(
    integer(1),
    "1200",
    "Requests per minute per client IP before authentication",
    [
      "api",
    ],
  ),
  TRUSTED_PROXY_DEPTH: knob(
    integer(0, 8),
    "0",
    "Reverse proxies in front of the API that append to X-Forwarded-For (0: key the per-IP limit on the socket)",
    ["api"],
  ),
  MAX_MANIFEST_PARTS: knob(
    integer(1, 64),
    "16",
    "Part manifests (each with its own receipt) a miner may submit per epoch",
    ["api"],
  ),
  MAX_BODY_BYTES: knob(integer(1024), "262144", "Largest request body the API reads", ["api"]),
  MAX_UPLOAD_BYTES: knob(integer(1024), "67108864", "Largest file a miner's presigned POST accepts", ["api"]),
  VALIDATOR_MAX_UPLOAD_BYTES: knob(
    integer(1024),
    "104857600",
    "Largest file a validator's presigned POST accepts",
    [
      "api",
    ],
  ),
  PRESIGN_POST_SECONDS: knob(integer(60, 86_400), "3600", "Lifetime of presigned upload policies", ["api"]),
  PRESIGN_READ_SECONDS: knob(integer(60, 86_400), "10800", "Lifetime of presigned list and download URLs", [
    "api",
  ]),
  ZIP_STATES: knob(
    z.string().trim().regex(/^([A-Z]{2}(,[A-Z]{2})*)?$/, "expected comma-separated state codes")
      .transform((s) => (s === "" ? [] : s.split(","))),
    "",
    "Only draw ZIPs of these states (comma-separated, e.g. PA,NJ); empty means all",
    ["api"],
  ),

  // Signed assignments and sealed plans.
  API_SIGNING_SEED: knob(
    z.string().trim().regex(/^(0x[0-9a-fA-F]{64})?$/, { error: "expected 0x + 64 hex characters" }),
    "",
    "sr25519 seed the API signs assignments with (empty: derived from EPOCH_SECRET)",
    ["api"],
    { secret: true },
  ),
  SEALED_PLANS_AHEAD: knob(
    integer(0, 84),
    "18",
    "Epochs ahead whose plans the API publishes sealed to drand (18 x 4 h = 3 days without the API; 0: off)",
    ["api"],
  ),
  UPLOAD_POLICIES_AHEAD: knob(
    integer(0, 40),
    "6",
    "Epochs ahead whose upload policies miners hold for an outage (each expires at its epoch's deadline; 0: off)",
    ["api"],
  ),
  API_DOWN_GRACE_SECONDS: knob(
    integer(5, 3600),
    "90",
    "Without an API heartbeat this long on either side of a part's S3 write time, the API was down then",
    ["api"],
  ),
} as const;

/** Everything the API reads. */
export const API_TABLE = { ...CORE_KNOBS, ...S3_KNOBS, ...API_KNOBS } as const;

/** The API's resolved configuration. */
export type ApiConfig = Resolved<typeof API_TABLE>;

function apiChecks(c: ApiConfig): string[] {
  const problems = coreChecks(c);
  if (c.MIN_ZIPCODE_LISTINGS > c.MAX_ZIPCODE_LISTINGS) {
    problems.push(`MIN_ZIPCODE_LISTINGS=${c.MIN_ZIPCODE_LISTINGS} exceeds MAX_ZIPCODE_LISTINGS`);
  }
  if (!c.S3_ACCESS_KEY_ID || !c.S3_SECRET_ACCESS_KEY) {
    problems.push("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required: the API presigns with them");
  }
  return problems;
}

/** The API program's knobs. */
export const API_PROGRAM = { component: "api", table: API_TABLE, checks: apiChecks } as const;

/** Parses the API's knobs; throws a `ConfigError` naming each bad one. */
export function parseApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseKnobs(API_PROGRAM, env);
}

/** The admin tools (`deno task admin`, `deno task zipcodes:import`) read only the API's KV. */
export function parseAdminConfig(env: Record<string, string | undefined>): { KV_PATH: string } {
  return parseKnobs({ component: "admin", table: { KV_PATH: API_KNOBS.KV_PATH } }, env);
}
