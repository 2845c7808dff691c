/**
 * Every environment knob of every zipmine component, in one table: its zod schema (parsing the string the
 * environment holds), its default, a one-line meaning and the components that read it. `.env.example` lists
 * them all (tests/env_example_test.ts fails when one is missing), and `parseConfig` fails at start with a
 * message naming each bad knob. The shells pass `Deno.env.toObject()`; nothing here reads the environment.
 * @module
 */
import { z } from "zod";
import { parseBeacon } from "./drand_schedule.ts";
import { QUICKNET } from "./chain/tlock/drand.ts";

/** The programs that read knobs. */
export type Component = "api" | "admin" | "miner" | "validator" | "localnet" | "query" | "market";

interface Knob<T extends z.ZodType = z.ZodType> {
  schema: T;
  /** The default as the environment would spell it; undefined means "no default". */
  default: string | undefined;
  doc: string;
  /** Components that read the knob; a knob without a default is required by these. */
  components: readonly Component[];
  /** Never logged, echoed or printed; `.env.example` leaves it empty. */
  secret?: boolean;
  /** May be left unset even without a default. */
  optional?: boolean;
}

const ALL: readonly Component[] = ["api", "miner", "validator", "localnet", "query"];

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.string().trim().regex(/^-?\d+$/, "expected an integer").transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

function integerList(min: number, max: number) {
  return z.string().trim().regex(/^\d+(,\d+)*$/, "expected comma-separated integers")
    .transform((s) => s.split(",").map(Number)).pipe(z.array(z.number().int().min(min).max(max)));
}

function decimal(min: number, max: number) {
  return z.string().trim().regex(/^-?\d+(\.\d+)?$/, "expected a number").transform(Number)
    .pipe(z.number().min(min).max(max));
}

const portList = z.string().trim().regex(/^(\d+( *, *\d+)*)?$/, "expected comma-separated ports")
  .transform((s) => (s === "" ? [] : s.split(",").map((p) => Number(p.trim())))).pipe(
    z.array(z.number().int().min(1).max(65_535)),
  );
const optionalIsoTime = z.string().trim().refine((s) => s === "" || !Number.isNaN(Date.parse(s)), {
  error: "expected an ISO-8601 time",
}).transform((s) => (s === "" ? null : new Date(s)));

const boolean = z.string().trim().toLowerCase().pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((s) => s === "true" || s === "1" || s === "yes");
const text = z.string().trim().min(1, "expected a non-empty value");
const url = z.string().trim().pipe(z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }));
const metagraphSource = z.string().trim().regex(/^(file:.+|chain:wss?:\/\/.+)$/, {
  error: "expected file:<path> or chain:<ws(s)-url>",
});

function knob<T extends z.ZodType>(
  schema: T,
  defaultValue: string | undefined,
  doc: string,
  components: readonly Component[],
  flags: { secret?: boolean; optional?: boolean } = {},
): Knob<T> {
  return { schema, default: defaultValue, doc, components, ...flags };
}

/** The knob table. Order here is the order of `.env.example`. */
export const KNOBS = {
  // Network and timing, shared by everyone.
  NETUID: knob(integer(0, 65_535), "46", "Subnet id on the chain (46 on finney, 428 on testnet)", ALL),
  EPOCH_SECONDS: knob(integer(60, 86_400), "14400", "Epoch length in seconds; must divide 86400", ALL),
  UPLOAD_LEAD_SECONDS: knob(
    integer(0),
    "900",
    "Uploads must be finished this long before the epoch ends (900 = by 3:45 of a 4 h epoch)",
    ALL,
  ),
  API_URL: knob(url, "http://127.0.0.1:8000", "Base URL of the zipmine API", [
    "miner",
    "validator",
    "localnet",
  ]),
  LOG_LEVEL: knob(z.enum(["debug", "info", "warn", "error"]), "info", "Lowest log level printed", ALL),

  // ZIP-code selection (API).
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

  // Scoring and rewards (validator).
  SPOT_CHECK_COUNT: knob(integer(0, 1000), "10", "Listings per miner re-scraped from the source each epoch", [
    "validator",
  ]),
  SPOT_CHECK_EXTRA: knob(
    integer(0, 1000),
    "10",
    "Further listings, along the same sample stream, checked for a miner with too few conclusive checks",
    ["validator"],
  ),
  COPY_MIN_SHARED_PERCENT: knob(
    integer(1, 100),
    "50",
    "Hotkeys sharing this percent of rows (zpid and scraped_at) are copies; only the earliest receipt ranks",
    ["validator"],
  ),
  MIN_CONCLUSIVE_CHECKS: knob(
    integer(0, 1000),
    "5",
    "Conclusive spot checks (valid or invalid) a miner needs before it can take a top share",
    ["validator"],
  ),
  TOP_SHARES: knob(integerList(0, 100), "50,30,15", "Percent of the weight for ranks 1, 2, 3, ...", [
    "validator",
  ]),
  PARTICIPATION_POOL_PERCENT: knob(integer(0, 5), "5", "Percent (<= 5) split among the other honest miners", [
    "validator",
  ]),
  BURN_PERCENT: knob(integer(0, 100), "0", "Percent of the weight given to the subnet owner's uid", [
    "validator",
  ]),
  SCORE_SPEED_PERCENT: knob(
    integer(0, 100),
    "40",
    "Share of the composite score earned by submission speed",
    [
      "validator",
    ],
  ),
  SCORE_QUALITY_PERCENT: knob(integer(0, 100), "40", "Share of the composite score earned by data quality", [
    "validator",
  ]),
  SCORE_VOLUME_PERCENT: knob(integer(0, 100), "20", "Share of the composite score earned by valid volume", [
    "validator",
  ]),

  // API server.
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
  CALIBRATION_MAX_STEP_PERCENT: knob(
    integer(0, 100),
    "25",
    "Largest per-epoch change of a ZIP's expected count",
    [
      "api",
    ],
  ),

  // Object storage.
  S3_ENDPOINT: knob(url, undefined, "S3 endpoint URL; unset means AWS for S3_REGION", [
    "api",
    "validator",
    "query",
  ], {
    optional: true,
  }),
  S3_REGION: knob(text, "us-east-2", "S3 region", ["api", "validator", "query"]),
  S3_BUCKET: knob(text, "zipmine-miner-data", "Bucket holding the miners' uploads", ["api", "validator"]),
  S3_VALIDATOR_BUCKET: knob(
    text,
    "zipmine-validated-data",
    "Bucket holding the validators' published outputs",
    [
      "api",
      "validator",
      "query",
    ],
  ),
  S3_ACCESS_KEY_ID: knob(
    text,
    undefined,
    "Access key the API presigns with; deno task query signs with it when set (unsigned otherwise)",
    ["api", "query"],
    { secret: true, optional: true },
  ),
  S3_SECRET_ACCESS_KEY: knob(text, undefined, "Secret key paired with S3_ACCESS_KEY_ID", ["api", "query"], {
    secret: true,
    optional: true,
  }),
  QUERY_CACHE_DIR: knob(
    z.string().trim(),
    "",
    "Where deno task query keeps synced validator outputs, one folder per bucket (empty: ~/.zipmine/query)",
    ["query"],
  ),
  S3_FORCE_PATH_STYLE: knob(boolean, "false", "Path-style bucket URLs (true for radosgw, fauxqs, MinIO)", [
    "api",
    "validator",
    "query",
  ]),

  // Identity (btcli's --wallet.name / --wallet.hotkey / --wallet.path override these).
  WALLET_NAME: knob(text, "default", "Bittensor wallet (coldkey) name", ["miner", "validator"]),
  WALLET_HOTKEY: knob(text, "default", "Hotkey name inside the wallet", ["miner", "validator"]),
  WALLET_PATH: knob(z.string().trim(), "", "Wallets root (empty: ~/.bittensor/wallets)", [
    "miner",
    "validator",
  ]),

  // Fetching the listing site (the miner's crawler and the validator's spot checks share these).
  LISTING_SITE_URL: knob(
    url,
    "https://www.zillow.com",
    "Base URL of the listing site (the simulator's in tests)",
    [
      "miner",
      "validator",
    ],
  ),
  PROXY_URLS: knob(
    z.string().trim(),
    "",
    "Comma-separated HTTP(S) proxy URLs; each is one exit with its own pacing",
    [
      "miner",
      "validator",
    ],
  ),
  PROXY_FILE: knob(z.string().trim(), "", "File with one proxy URL per line (added to PROXY_URLS)", [
    "miner",
    "validator",
  ]),
  SCRAPER_API_URL_TEMPLATE: knob(
    z.string().trim(),
    "",
    "Scraping-API provider URL with {url} and {key}, e.g. https://provider/?api_key={key}&url={url}",
    ["miner", "validator"],
  ),
  SCRAPER_API_KEY: knob(z.string().trim(), "", "Key of the scraping-API provider", ["miner", "validator"], {
    secret: true,
  }),
  SCRAPER_API_KINDS: knob(
    z.string().trim().regex(/^((search|api|detail|building)(,(search|api|detail|building))*)?$/, {
      error: "expected a comma list of search, api, detail, building",
    }).transform((s) => (s === "" ? [] : s.split(","))),
    "detail",
    "Page kinds sent through the scraping API when one is configured (plain fetch is blocked on details)",
    ["miner", "validator"],
  ),
  REQUESTS_PER_MINUTE: knob(integer(1, 100_000), "20", "Requests per minute per exit (proxy or direct)", [
    "miner",
    "validator",
  ]),
  FETCH_CONCURRENCY: knob(integer(1, 256), "2", "Requests in flight per exit", ["miner", "validator"]),
  FETCH_JITTER_MS: knob(integer(0, 60_000), "500", "Random extra delay before each request, up to this", [
    "miner",
    "validator",
  ]),
  FETCH_TIMEOUT_MS: knob(integer(100, 600_000), "30000", "Timeout of one request", ["miner", "validator"]),
  FETCH_RETRIES: knob(
    integer(0, 20),
    "3",
    "Retries of a failed or blocked request (on another exit when possible)",
    [
      "miner",
      "validator",
    ],
  ),
  BLOCK_COOLDOWN_SECONDS: knob(integer(0, 86_400), "300", "An exit that got blocked rests this long", [
    "miner",
    "validator",
  ]),
  MAX_CONSECUTIVE_BLOCKS: knob(integer(1, 10_000), "20", "Stop scraping after this many blocks in a row", [
    "miner",
    "validator",
  ]),

  // Miner.
  MINER_METRICS_PORT: knob(integer(0, 65_535), "0", "Port of the miner's /metrics on 127.0.0.1 (0: off)", [
    "miner",
  ]),
  MINER_STATE_DIR: knob(z.string().trim(), "", "Miner state folder (empty: ~/.zipmine/miner)", ["miner"]),
  DETAIL_ENRICHMENT: knob(
    z.string().trim().regex(/^(all|none|\d{1,3}%)$/, {
      error: 'expected "all", "none" or a percentage like "25%"',
    }),
    "all",
    "Which listings also get their detail page fetched: all, none or a percentage",
    ["miner"],
  ),
  UPLOAD_EARLY: knob(
    boolean,
    "false",
    "Upload each ZIP's file as soon as it is scraped, not all at the end",
    [
      "miner",
    ],
  ),
  MINER_STRATEGY: knob(
    z.enum([
      "honest",
      "fabricator",
      "wrong_zip",
      "nonceless",
      "stale",
      "duplicator",
      "late",
      "null_manifest",
      "dup_key_manifest",
      "missing_files",
      "huge_manifest",
      "nan_values",
      "filler",
      "partial_fast",
      "padder",
      "tamperer",
      "twin_fabricator",
      "restamper",
      "sybil",
    ]),
    "honest",
    "Localnet only: how the miner behaves (honest, or one of the cheats the validators must catch)",
    ["miner", "localnet"],
  ),
  VALIDATOR_STRATEGY: knob(
    z.enum(["honest", "malformed_evidence", "lying"]),
    "honest",
    "Localnet only: honest, malformed_evidence (junk spot-check entries before its real ones) or lying (publishes every conclusive outcome flipped)",
    ["validator", "localnet"],
  ),
  POLL_INTERVAL_SECONDS: knob(integer(1, 3600), "60", "How often the miner polls the API for a new epoch", [
    "miner",
  ]),

  // Relay of assignments over the Bittensor axon protocol (validators serve, miners fall back to it).
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
  DRAND_BEACON: knob(
    z.string().trim().regex(/^(quicknet|[0-9a-f]{192}@\d+\/\d+)$/, {
      error: "expected quicknet or <G2 public key hex>@<genesis unix seconds>/<period seconds>",
    }).transform(parseBeacon),
    "quicknet",
    "drand beacon sealed plans are encrypted to (quicknet, or a local beacon as key@genesis/period)",
    ["api", "miner", "validator"],
  ),
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
  AXON_PORT: knob(integer(0, 65_535), "8091", "Port of the validator's axon (0: no axon)", ["validator"]),
  AXON_HOSTNAME: knob(text, "0.0.0.0", "Interface the validator's axon listens on", ["validator"]),
  AXON_EXTERNAL_IP: knob(
    z.string().trim(),
    "",
    "Address announced on chain for the axon (empty: AXON_HOSTNAME)",
    [
      "validator",
    ],
  ),
  AXON_RATE_LIMIT_PER_MINUTE: knob(integer(1), "60", "Axon requests per minute per verified hotkey", [
    "validator",
  ]),
  SERVE_AXON: knob(
    z.string().trim().regex(/^(.+:\d{1,5})?$/, { error: "expected <ip>:<port>" }),
    "",
    "Announce this miner's axon <ip>:<port> on chain at start (serve_axon), as bittensor miners do",
    ["miner"],
  ),
  DENDRITE_TIMEOUT_MS: knob(
    integer(100, 120_000),
    "12000",
    "Timeout of one relay request to a validator's axon",
    [
      "miner",
    ],
  ),

  // Validator.
  VALIDATOR_STATE_DIR: knob(z.string().trim(), "", "Validator state folder (empty: ~/.zipmine/validator)", [
    "validator",
  ]),
  VALIDATOR_METRICS_PORT: knob(integer(0, 65_535), "9100", "Port of the validator's /metrics (0: off)", [
    "validator",
  ]),
  TEMPO_SECONDS: knob(
    integer(1, 86_400),
    "4320",
    "How often weights are set (one tempo: 360 blocks = 72 min)",
    [
      "validator",
    ],
  ),
  EVIDENCE_LEAD_SECONDS: knob(
    integer(0),
    "1800",
    "Spot-check evidence is published this long before the validation window ends (the API refuses later evidence)",
    ["api", "validator"],
  ),
  FINALIZE_LEAD_SECONDS: knob(
    integer(0),
    "900",
    "Scores are finalised this long before the validation window ends (after reading others' evidence)",
    ["validator"],
  ),
  MAX_MINER_FILE_BYTES: knob(
    integer(1024),
    "268435456",
    "A miner file larger than this scores 0 without download",
    [
      "validator",
    ],
  ),
  MAX_MINER_FILES: knob(integer(1, 10_000), "2000", "Most data files one miner's manifest may name", [
    "validator",
  ]),
  UPLOAD_ROWS_FACTOR: knob(
    integer(1, 1000),
    "10",
    "A miner's upload may claim at most this many times the epoch's expected listings in rows",
    ["validator"],
  ),
  MAX_ROW_BYTES: knob(
    integer(64, 1_048_576),
    "4096",
    "Stored bytes per row an upload may average (its byte budget: row budget x this)",
    ["validator"],
  ),
  JUDGE_CONCURRENCY: knob(integer(1, 64), "4", "Miners gathered and checked at the same time", [
    "validator",
  ]),
  GATHER_TIMEOUT_SECONDS: knob(
    integer(1, 14_400),
    "600",
    "Time limit of gathering one miner's upload; over it the attempt failed on the validator's side",
    ["validator"],
  ),
  JUDGE_ATTEMPTS: knob(
    integer(1, 100),
    "3",
    "Attempts at judging a miner (S3 5xx, own disk, a fault) before it is reported not judged",
    ["validator"],
  ),
  JUDGE_DEADLINE_LEAD_SECONDS: knob(
    integer(0),
    "2700",
    "Miners not judged this long before the validation window ends are reported not judged",
    ["validator"],
  ),
  CHAIN_ENDPOINT: knob(
    z.string().trim().regex(/^(local:.+|wss?:\/\/.+|finney|test)$/, {
      error: "expected local:<kv-path>, finney, test or a ws(s):// URL",
    }),
    "finney",
    "The chain: finney (default), test, a ws(s) URL, or local:<path> (the development chain of localnet and tests)",
    ["validator", "miner", "localnet"],
  ),
  WEIGHTS_COMMIT_REVEAL: knob(
    z.string().trim().pipe(z.enum(["crv4", "crv2"])),
    "crv4",
    "With commit-reveal on: crv4 timelocked commits as the SDK sends (default), or crv2 hash commit + reveal",
    ["validator"],
  ),
  CHAIN_BLOCK_SECONDS: knob(
    decimal(0.1, 60),
    "12",
    "Expected seconds per subtensor block, for the CRv4 reveal round (0.25 on a fast-block chain)",
    ["validator"],
  ),
  WEIGHTS_MECHANISMS: knob(
    z.string().trim().regex(/^(\d+(,\d+)*)?$/, "expected comma-separated mechanism ids")
      .transform((s) => (s === "" ? [] : s.split(",").map(Number))).pipe(
        z.array(z.number().int().min(0).max(15)),
      ),
    "",
    "Subnet mechanisms the validator sets (the same weights on each); empty means all the subnet has",
    ["validator"],
  ),

  // Market simulator (tests/sim): the listing site's stand-in for localnet and tests.
  MARKET_SEED: knob(
    text,
    "zipmine-market",
    "Seed of the simulated market (same seed and time give the same pages)",
    [
      "market",
    ],
  ),
  MARKET_HOSTNAME: knob(text, "127.0.0.1", "Interface the market simulator listens on", ["market"]),
  MARKET_PORT: knob(integer(1, 65_535), "8090", "Main port of the market simulator", ["market"]),
  MARKET_EXTRA_PORTS: knob(
    portList,
    "",
    "Extra simulator ports, one simulated proxy exit each (comma-separated)",
    [
      "market",
    ],
  ),
  MARKET_LATENCY_MS: knob(decimal(0, 600_000), "0", "Mean added latency per simulator request (0.5x-1.5x)", [
    "market",
  ]),
  MARKET_BLOCK_RATE: knob(decimal(0, 1), "0", "Chance 0..1 that a simulator request gets the bot wall", [
    "market",
  ]),
  MARKET_BLOCK_COOLDOWN_MS: knob(
    decimal(0, 86_400_000),
    "0",
    "How long a blocked simulator client stays blocked",
    [
      "market",
    ],
  ),
  MARKET_RATE_LIMIT_PER_MINUTE: knob(
    integer(0, 1_000_000),
    "0",
    "Requests per client per minute before 429 (0: off)",
    [
      "market",
    ],
  ),
  MARKET_VANISH_RATE: knob(decimal(0, 1), "0", "Chance 0..1 that an existing detail page answers 404", [
    "market",
  ]),
  MARKET_STRICT_HEADERS: knob(boolean, "false", "Block simulator requests without a browser user-agent", [
    "market",
  ]),
  MARKET_REAL_VARIANTS: knob(
    boolean,
    "false",
    "Serve the real page variants (cards without zpid/ZIP, community links, odd totals, off-market pages)",
    ["market"],
  ),
  MARKET_EXPECTED: knob(
    integer(0, 12_000),
    "300",
    "Expected for-sale listings of a ZIP missing from MARKET_ZIPS_FILE",
    [
      "market",
    ],
  ),
  MARKET_BUILDING_SHARE: knob(
    decimal(0, 1),
    "0.35",
    "Share of condos grouped into building cards (0: none)",
    [
      "market",
    ],
  ),
  MARKET_ZIPS_FILE: knob(
    z.string().trim(),
    "",
    "JSON array of {zip, expected?, city?, state?, latitude?, longitude?}",
    [
      "market",
    ],
  ),
  MARKET_PUBLIC_ORIGIN: knob(url, "https://www.zillow.com", "Origin the simulator prints in absolute URLs", [
    "market",
  ]),
  MARKET_START_AT: knob(optionalIsoTime, "", "Market time when the simulator starts (empty: now)", [
    "market",
  ]),
  MARKET_TIME_SCALE: knob(
    decimal(0, 1_000_000),
    "1",
    "Market seconds per wall second (0 freezes listing churn)",
    [
      "market",
    ],
  ),
} as const;

/** The name of a knob. */
export type KnobName = keyof typeof KNOBS;

/** The resolved configuration: every knob parsed to its typed value. */
export type Config = { [K in KnobName]: z.output<(typeof KNOBS)[K]["schema"]> };

/** Raised when the environment holds invalid knobs; the message names every one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses `env` for `component`: applies defaults, checks each knob's schema and the rules that tie knobs
 * together, and throws one `ConfigError` listing every problem by knob name. Knobs without a default that
 * `component` reads are required; others come back `undefined` when unset.
 */
export function parseConfig(env: Record<string, string | undefined>, component: Component): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, k] of Object.entries(KNOBS) as [KnobName, Knob][]) {
    const raw = env[name] === undefined || env[name] === "" ? k.default : env[name];
    if (raw === undefined) {
      if (k.components.includes(component) && !k.optional) problems.push(`${name} is required: ${k.doc}`);
      continue;
    }
    const result = k.schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else {
      const shown = k.secret ? "(hidden)" : JSON.stringify(raw);
      problems.push(`${name}=${shown} is invalid: ${result.error.issues.map((i) => i.message).join("; ")}`);
    }
  }
  if (problems.length === 0) problems.push(...crossChecks(out as Config, component));
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Config;
}

function crossChecks(c: Config, component: Component): string[] {
  const problems: string[] = [];
  if (86_400 % c.EPOCH_SECONDS !== 0) problems.push(`EPOCH_SECONDS=${c.EPOCH_SECONDS} must divide 86400`);
  if (c.UPLOAD_LEAD_SECONDS >= c.EPOCH_SECONDS) {
    problems.push(
      `UPLOAD_LEAD_SECONDS=${c.UPLOAD_LEAD_SECONDS} must be below EPOCH_SECONDS=${c.EPOCH_SECONDS}`,
    );
  }
  if (c.MIN_ZIPCODE_LISTINGS > c.MAX_ZIPCODE_LISTINGS) {
    problems.push(`MIN_ZIPCODE_LISTINGS=${c.MIN_ZIPCODE_LISTINGS} exceeds MAX_ZIPCODE_LISTINGS`);
  }
  const scoreSum = c.SCORE_SPEED_PERCENT + c.SCORE_QUALITY_PERCENT + c.SCORE_VOLUME_PERCENT;
  if (scoreSum !== 100) problems.push(`SCORE_SPEED/QUALITY/VOLUME_PERCENT must sum to 100, not ${scoreSum}`);
  if (component === "api" && (!c.S3_ACCESS_KEY_ID || !c.S3_SECRET_ACCESS_KEY)) {
    problems.push("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required: the API presigns with them");
  }
  const judges = component === "validator" || component === "localnet";
  if (
    judges &&
    !(c.FINALIZE_LEAD_SECONDS < c.EVIDENCE_LEAD_SECONDS && c.EVIDENCE_LEAD_SECONDS < c.EPOCH_SECONDS)
  ) {
    problems.push(
      `FINALIZE_LEAD_SECONDS (${c.FINALIZE_LEAD_SECONDS}) < EVIDENCE_LEAD_SECONDS (${c.EVIDENCE_LEAD_SECONDS}) < EPOCH_SECONDS (${c.EPOCH_SECONDS}) must hold`,
    );
  }
  if (judges && c.JUDGE_DEADLINE_LEAD_SECONDS <= c.EVIDENCE_LEAD_SECONDS) {
    problems.push(
      `JUDGE_DEADLINE_LEAD_SECONDS (${c.JUDGE_DEADLINE_LEAD_SECONDS}) must exceed EVIDENCE_LEAD_SECONDS (${c.EVIDENCE_LEAD_SECONDS}): spot checks follow judging`,
    );
  }
  const shareSum = c.TOP_SHARES.reduce((a, b) => a + b, 0) + c.PARTICIPATION_POOL_PERCENT;
  if (shareSum > 100) problems.push(`TOP_SHARES plus PARTICIPATION_POOL_PERCENT exceed 100 (${shareSum})`);
  return problems;
}

/** Values of every secret knob present in `config`, for the logger's scrubber. */
export function secretValues(config: Partial<Config>): string[] {
  return (Object.keys(KNOBS) as KnobName[])
    .filter((name) => (KNOBS[name] as Knob).secret && typeof config[name] === "string" && config[name] !== "")
    .map((name) => config[name] as string);
}

/** Renders `.env.example`: every knob with its default (secrets empty) and its meaning. */
export function renderEnvExample(): string {
  const lines = ["# zipmine configuration. Every knob, its default and its meaning; see README.md.", ""];
  for (const [name, k] of Object.entries(KNOBS) as [KnobName, Knob][]) {
    lines.push(`# ${k.doc} [${k.components.join(", ")}]${k.secret ? " (secret)" : ""}`);
    lines.push(`${name}=${k.secret ? "" : k.default ?? ""}`);
  }
  return lines.join("\n") + "\n";
}
