-- How much memory DuckDB itself holds right now, over all of its tags (buffers, caches, temp data).
-- Params: none.
-- Output columns (one row): bytes BIGINT (memory in use), limit_text VARCHAR (the memory_limit setting).
SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT AS bytes, current_setting('memory_limit') AS limit_text
FROM duckdb_memory();
