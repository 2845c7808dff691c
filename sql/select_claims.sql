-- The rows a miner claimed for the listings chosen for spot checks, read from its downloaded files.
-- Params: {{files}} the list of the miner's Parquet paths, {{zpids}} the list of sampled zpids.
-- Output columns: the listing record's columns, with times and dates as ISO text (so the row compares
-- exactly as the miner wrote it), plus the source filename; the first row per zpid by file name.
SELECT * REPLACE (
  strftime(scraped_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS scraped_at,
  CAST(listed_date AS VARCHAR) AS listed_date,
  to_json(price_history)::VARCHAR AS price_history
)
FROM read_parquet({{files}}, filename = true)
WHERE zpid IN (SELECT unnest({{zpids}}))
QUALIFY row_number() OVER (PARTITION BY zpid ORDER BY filename) = 1;
