-- Reads only the footers of a miner's Parquet files: each file's row count and a fingerprint of its Parquet
-- schema. Files with equal fingerprints are read with equal column types, so one DESCRIBE per fingerprint
-- (sql/describe_file.sql) checks the types of them all.
-- Params: paths, a list of local file paths.
-- Output columns: file_name VARCHAR, num_rows BIGINT, fingerprint VARCHAR (md5 of the schema elements).
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
)
SELECT m.file_name, m.num_rows, e.fingerprint
FROM parquet_file_metadata({{paths}}) AS m
JOIN elements AS e USING (file_name)
ORDER BY m.file_name;
