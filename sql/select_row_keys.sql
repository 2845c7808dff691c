-- Every row's copy key (zpid and per-row scraped_at, millisecond ISO text), read from a miner's files.
-- Params: {{files}} the list of the miner's Parquet paths. Output: one column `row_key`, distinct.
SELECT DISTINCT zpid || '|' || strftime(scraped_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS row_key
FROM read_parquet({{files}});
