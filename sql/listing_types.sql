-- The listing record's columns with their types spelled the way DESCRIBE prints them (TIMESTAMPTZ reads
-- back as TIMESTAMP WITH TIME ZONE, and so on), so a file's DESCRIBE can be compared string for string.
-- Params: types a JSON object of column name -> DuckDB type, in schema order (LISTING_SQL_TYPES).
-- Output columns: column_name VARCHAR, column_type VARCHAR (and DESCRIBE's null, key, default, extra).
DESCRIBE SELECT unnest(from_json('{}', {{types}}));
