-- The views `deno task query` defines over an archive of validator outputs before the analyst's query runs.
-- Params: {{winners}} the list of winners.parquet paths, led by an empty file of the full winners schema
-- (so the list is never empty and every column exists even when a file holds none);
-- {{winner_files}} NDJSON of {file, epoch_id, epoch_start, validator_hotkey}, one line per listed file;
-- {{reports}} NDJSON of {epoch_id, epoch_start, validator_hotkey, report}, report a validation_report.json;
-- {{metadata}} NDJSON of {epoch_id, epoch_start, validator_hotkey, metadata}, metadata an epoch_metadata.json.
-- epoch_id and validator_hotkey come from each file's key. Scores, components and weights are the reports'
-- fixed-point integers divided by 1e6, as exact DECIMAL(7,6) fractions of 1.
-- Output: the helper views raw.winner_files, raw.reports and raw.metadata, and these views:
--   listings      epoch_id, epoch_start, validator_hotkey, rank, validated_at, then the listing record's
--                 columns from nonce to detail_enriched (miner_hotkey, zipcode, zpid, price, ...)
--   miner_scores  epoch_id, epoch_start, validator_hotkey, miner_hotkey, uid, score, speed, quality, volume,
--                 rank, weight, reason, rows, unique_listings, duplicates, listings_per_zipcode,
--                 failed_checks, spot_checks_valid, spot_checks_invalid, spot_checks_unknown, submitted_at,
--                 manifest_sha256, generated_at
--   winners       epoch_id, epoch_start, validator_hotkey, rank, miner_hotkey, uid, weight, score,
--                 published_listings
--   epochs        epoch_id, epoch_start, validator_hotkey, zipcodes, zipcode_count, expected_listings,
--                 validated_listings, winner_count, miners_judged, miners_scored, published_at
CREATE SCHEMA raw;

CREATE VIEW raw.winner_files AS
SELECT * FROM read_json({{winner_files}}, format = 'newline_delimited', columns = {
  'file': 'VARCHAR', 'epoch_id': 'VARCHAR', 'epoch_start': 'TIMESTAMPTZ', 'validator_hotkey': 'VARCHAR'
});

-- Only the report fields the views use are declared; read_json ignores the others.
CREATE VIEW raw.reports AS
SELECT * FROM read_json({{reports}}, format = 'newline_delimited', columns = {
  'epoch_id': 'VARCHAR', 'epoch_start': 'TIMESTAMPTZ', 'validator_hotkey': 'VARCHAR',
  'report': 'STRUCT("generatedAt" TIMESTAMPTZ, "miners" STRUCT(
    "hotkey" VARCHAR, "uid" INTEGER, "submittedAt" TIMESTAMPTZ, "manifestSha256" VARCHAR,
    "checks" STRUCT("name" VARCHAR, "ok" BOOLEAN)[],
    "counts" STRUCT("rows" BIGINT, "uniqueListings" BIGINT, "duplicates" BIGINT,
                    "perZipcode" MAP(VARCHAR, BIGINT)),
    "spotChecks" STRUCT("outcome" VARCHAR)[],
    "components" STRUCT("speed" INTEGER, "quality" INTEGER, "volume" INTEGER),
    "score" INTEGER, "rank" INTEGER, "weight" INTEGER, "reason" VARCHAR)[])'
});

CREATE VIEW raw.metadata AS
SELECT * FROM read_json({{metadata}}, format = 'newline_delimited', columns = {
  'epoch_id': 'VARCHAR', 'epoch_start': 'TIMESTAMPTZ', 'validator_hotkey': 'VARCHAR',
  'metadata': 'STRUCT("zipcodes" VARCHAR[], "expectedListings" BIGINT, "validatedListings" BIGINT,
    "winners" STRUCT("hotkey" VARCHAR, "rank" INTEGER, "weight" INTEGER)[], "publishedAt" TIMESTAMPTZ)'
});

CREATE VIEW listings AS
SELECT f.epoch_id, f.epoch_start, f.validator_hotkey, w.rank, w.validated_at,
       w.* EXCLUDE (epoch_id, rank, validator_hotkey, validated_at, filename)
FROM read_parquet({{winners}}, union_by_name = true, filename = true, hive_partitioning = false) AS w
JOIN raw.winner_files AS f ON f.file = w.filename;

CREATE VIEW miner_scores AS
SELECT epoch_id, epoch_start, validator_hotkey, m.hotkey AS miner_hotkey, m.uid,
       (m.score / 1000000)::DECIMAL(7, 6) AS score,
       (m.components.speed / 1000000)::DECIMAL(7, 6) AS speed,
       (m.components.quality / 1000000)::DECIMAL(7, 6) AS quality,
       (m.components.volume / 1000000)::DECIMAL(7, 6) AS volume,
       m.rank, (m.weight / 1000000)::DECIMAL(7, 6) AS weight, m.reason,
       m.counts."rows" AS "rows", m.counts.uniqueListings AS unique_listings,
       m.counts.duplicates AS duplicates, m.counts.perZipcode AS listings_per_zipcode,
       [c.name FOR c IN m.checks IF NOT c.ok] AS failed_checks,
       len([s FOR s IN m.spotChecks IF s.outcome = 'valid']) AS spot_checks_valid,
       len([s FOR s IN m.spotChecks IF s.outcome = 'invalid']) AS spot_checks_invalid,
       len([s FOR s IN m.spotChecks IF s.outcome = 'unknown']) AS spot_checks_unknown,
       m.submittedAt AS submitted_at, m.manifestSha256 AS manifest_sha256, generated_at
FROM (SELECT epoch_id, epoch_start, validator_hotkey, report.generatedAt AS generated_at,
             unnest(report.miners) AS m
      FROM raw.reports);

-- The published winners list of each epoch_metadata.json, with each winner's verdict from the report beside
-- it (NULL when that report is missing) and its rows in winners.parquet (0 when that file is missing).
CREATE VIEW winners AS
SELECT w.epoch_id, w.epoch_start, w.validator_hotkey, w.winner.rank AS rank,
       w.winner.hotkey AS miner_hotkey, s.uid, (w.winner.weight / 1000000)::DECIMAL(7, 6) AS weight, s.score,
       coalesce(p.published_listings, 0) AS published_listings
FROM (SELECT epoch_id, epoch_start, validator_hotkey, unnest(metadata.winners) AS winner FROM raw.metadata) AS w
LEFT JOIN miner_scores AS s
  ON s.epoch_id = w.epoch_id AND s.validator_hotkey = w.validator_hotkey AND s.miner_hotkey = w.winner.hotkey
LEFT JOIN (SELECT epoch_id, validator_hotkey, miner_hotkey, count(*) AS published_listings
           FROM listings GROUP BY ALL) AS p
  ON p.epoch_id = w.epoch_id AND p.validator_hotkey = w.validator_hotkey AND p.miner_hotkey = w.winner.hotkey;

CREATE VIEW epochs AS
SELECT md.epoch_id, md.epoch_start, md.validator_hotkey, md.metadata.zipcodes AS zipcodes,
       len(md.metadata.zipcodes) AS zipcode_count, md.metadata.expectedListings AS expected_listings,
       md.metadata.validatedListings AS validated_listings, len(md.metadata.winners) AS winner_count,
       len(r.report.miners) AS miners_judged, len([m FOR m IN r.report.miners IF m.score > 0]) AS miners_scored,
       md.metadata.publishedAt AS published_at
FROM raw.metadata AS md
LEFT JOIN raw.reports AS r ON r.epoch_id = md.epoch_id AND r.validator_hotkey = md.validator_hotkey;
