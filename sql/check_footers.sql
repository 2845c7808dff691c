-- Reads only the footers of a miner's Parquet files: each file's row count, the bytes its column chunks
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
chunks AS (
  SELECT file_name, sum(total_uncompressed_size)::BIGINT AS decoded_bytes
  FROM parquet_metadata({{paths}})
  GROUP BY file_name
)
SELECT m.file_name, m.num_rows, coalesce(c.decoded_bytes, 0) AS decoded_bytes, e.fingerprint
FROM parquet_file_metadata({{paths}}) AS m
JOIN elements AS e USING (file_name)
LEFT JOIN chunks AS c USING (file_name)
ORDER BY m.file_name;
