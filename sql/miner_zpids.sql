-- A miner's listings by zpid across all of its files: totals, repeats (duplicates inflate volume), and the
-- sorted set of distinct zpids for cross-miner uniqueness and spot-check sampling.
-- Params: paths a JSON array of local file paths (all with the listing schema).
-- Output columns (one row): row_count BIGINT (rows with a zpid), unique_zpids BIGINT, repeated_zpids BIGINT
-- (zpids seen more than once), examples VARCHAR[] (up to 5 repeated zpids, sorted), zpids VARCHAR[]
-- (every distinct zpid, sorted by byte value).
WITH per_zpid AS (
  SELECT zpid, count(*) AS copies
  FROM read_parquet(json_extract_string({{paths}}, '$[*]'))
  WHERE zpid IS NOT NULL
  GROUP BY zpid
)
SELECT
  coalesce(sum(copies), 0)::BIGINT AS row_count,
  count(*) AS unique_zpids,
  count_if(copies > 1) AS repeated_zpids,
  coalesce((list(zpid ORDER BY zpid) FILTER (WHERE copies > 1))[1:5], []) AS examples,
  coalesce(list(zpid ORDER BY zpid), []) AS zpids
FROM per_zpid;
