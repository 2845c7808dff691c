-- The floor of the validator's data checks (tests/bench/validator_checks.ts): one bare pass over every
-- miner's files at once that decodes every column and computes per-file counts (rows, non-null values of
-- each column, the zpid list), with none of the checks' rules.
-- Params: paths, a list of local file paths.
-- Output columns: filename VARCHAR, row_count BIGINT, zpids VARCHAR[], then one BIGINT per column.
SELECT filename, count(*) AS row_count, list(zpid) AS zpids, count(COLUMNS(c -> c <> 'filename'))
FROM read_parquet({{paths}}, filename = true)
GROUP BY filename;
