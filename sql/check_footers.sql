-- Reads only the footers of a miner's Parquet files (twice: schema and chunks, the fewest table functions
-- that give all of it): each file's row count, the bytes its column chunks
-- decode to, and a fingerprint of its Parquet schema. Files with equal fingerprints are read with equal
-- column types, so one DESCRIBE per fingerprint (sql/describe_file.sql) checks the types of them all; the
-- decoded size refuses compression bombs before any page is decompressed.
-- Params: paths, a list of local file paths.
-- Output columns: file_name VARCHAR, num_rows BIGINT, decoded_bytes BIGINT (sum of the column chunks'
--   total_uncompressed_size), fingerprint VARCHAR (md5 of the schema elements).
WITH elements AS (
  SELECT
    file_name,
    md5(list(
      struct_pack(name, type, type_length, repetition_type, num_children, converted_type, scale, precision,
        field_id, logical_type, duckdb_type)
      ORDER BY column_id
    )::VARCHAR) AS fingerprint
  FROM parquet_schema({{paths}})
  GROUP BY file_name
),
-- One row per (row group, column chunk): rows are counted once per row group.
row_groups AS (
  SELECT file_name, row_group_id, any_value(row_group_num_rows) AS num_rows,
    sum(total_uncompressed_size) AS decoded_bytes
  FROM parquet_metadata({{paths}})
  GROUP BY file_name, row_group_id
)
-- A file without row groups (no rows) has schema elements but no chunks.
SELECT e.file_name, coalesce(sum(g.num_rows), 0)::BIGINT AS num_rows,
  coalesce(sum(g.decoded_bytes), 0)::BIGINT AS decoded_bytes, any_value(e.fingerprint) AS fingerprint
FROM elements AS e
LEFT JOIN row_groups AS g USING (file_name)
GROUP BY e.file_name
ORDER BY e.file_name;
