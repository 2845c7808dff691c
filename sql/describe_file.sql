-- The column names and DuckDB types one Parquet file is read with, in file order.
-- Params: path a local file path.
-- Output columns: column_name VARCHAR, column_type VARCHAR (and DESCRIBE's null, key, default, extra).
DESCRIBE SELECT * FROM read_parquet({{path}});
