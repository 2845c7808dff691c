-- The column names and DuckDB types of one published winners file, read as `deno task query` reads it:
-- without Hive partitioning, so the `epoch=` folder of its key adds no column.
-- Params: {{path}} a local file path.
-- Output columns: column_name VARCHAR, column_type VARCHAR (and DESCRIBE's null, key, default, extra).
DESCRIBE SELECT * FROM read_parquet({{path}}, hive_partitioning = false);
