-- An empty Parquet file with every column of a published winners file, typed: `deno task query` reads it
-- first among the winners files, so the listings view has all its columns even over none or only empty ones.
-- Params: {{types}} a JSON object of column name -> DuckDB type (the listing record's, then rank,
-- validator_hotkey, validated_at), {{output}} the Parquet path.
-- Output columns: those of the types object, in its order; no row.
COPY (SELECT unnest(from_json('{}', {{types}})) LIMIT 0) TO {{output}} (FORMAT parquet);
