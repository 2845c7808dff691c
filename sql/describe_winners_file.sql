-- The column names and DuckDB types published winners files are read with, as `deno task query` reads
-- them: by column name across files, and without Hive partitioning (the `epoch=` folder adds no column).
-- Params: {{paths}} a list of local file paths.
-- Output columns: column_name VARCHAR, column_type VARCHAR (and DESCRIBE's null, key, default, extra).
DESCRIBE SELECT * FROM read_parquet({{paths}}, union_by_name = true, hive_partitioning = false);
