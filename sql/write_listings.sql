-- Writes one miner Parquet file from newline-delimited JSON rows of the canonical listing record.
-- Params (substituted as quoted literals by the writer): {{input}} the NDJSON path, {{output}} the Parquet
-- path, {{columns}} the DuckDB struct of column name -> type from LISTING_SQL_TYPES.
-- Output columns: exactly the listing record's, in schema order (shared/schemas/listing.ts).
COPY (
  SELECT *
  FROM read_json({{input}}, format = 'newline_delimited', columns = {{columns}})
) TO {{output}} (FORMAT parquet, COMPRESSION zstd);
