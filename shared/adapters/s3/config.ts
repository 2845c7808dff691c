/**
 * The object-storage knobs: one table for every S3 client the API, the validator and `deno task query` build
 * (`client.ts`).
 * @module
 */
import { boolean, knob, type Resolved, text, url } from "../../config.ts";

export const S3_KNOBS = {
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
  S3_FORCE_PATH_STYLE: knob(boolean, "false", "Path-style bucket URLs (true for radosgw, fauxqs, MinIO)", [
    "api",
    "validator",
    "query",
  ]),
} as const;

/** The object-storage knobs, resolved. */
export type S3Config = Resolved<typeof S3_KNOBS>;
