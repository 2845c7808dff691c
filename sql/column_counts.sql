-- Counts the non-null values of every column of a miner's files, per file. Reading every column in full
-- also surfaces corrupt pages; the caller derives required-column gaps and completeness from the counts.
-- Params: paths a JSON array of local file paths (all with the listing schema).
-- Output columns: filename VARCHAR, column_name VARCHAR, non_null BIGINT (one row per file and column;
-- files without rows are absent).
SELECT filename, column_name, non_null
FROM (
  SELECT filename, count(COLUMNS(* EXCLUDE (filename)))
  FROM read_parquet(json_extract_string({{paths}}, '$[*]'), filename = true)
  GROUP BY filename
)
UNPIVOT (non_null FOR column_name IN (COLUMNS(* EXCLUDE (filename))))
ORDER BY filename, column_name;
