-- Rows and distinct listings (by zpid) per ZIP partition of a miner's files.
-- Params: paths a JSON array of local file paths (all with the listing schema); files a JSON array
-- of {"path", "zipcode"}: each file's ZIP from its key's partition.
-- Output columns: zipcode VARCHAR, row_count BIGINT, unique_zpids BIGINT (null zpids not counted).
WITH files AS (
  SELECT unnest(from_json({{files}}, '[{"path":"VARCHAR","zipcode":"VARCHAR"}]'), recursive := true)
)
SELECT f.zipcode, count(*) AS row_count, count(DISTINCT r.zpid) AS unique_zpids
FROM read_parquet(json_extract_string({{paths}}, '$[*]'), filename = true) AS r
JOIN files AS f ON f.path = r.filename
GROUP BY f.zipcode
ORDER BY f.zipcode;
