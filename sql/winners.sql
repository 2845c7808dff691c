-- The winners' data a validator publishes: every row of the top-ranked miners' files, tagged with the
-- miner's rank, the validator's hotkey and the validation time.
-- Params: {{files}} the list of the winners' Parquet paths, {{ranks}} a list of {hotkey, rank} structs,
-- {{validator}} the validator hotkey, {{validated_at}} an ISO time, {{output}} the Parquet path.
-- Output columns: the listing record's columns, then rank INTEGER, validator_hotkey VARCHAR,
-- validated_at TIMESTAMPTZ.
COPY (
  SELECT l.*, r.rank::INTEGER AS rank, {{validator}} AS validator_hotkey,
         {{validated_at}}::TIMESTAMPTZ AS validated_at
  FROM read_parquet({{files}}) AS l
  JOIN (SELECT unnest({{ranks}}, recursive := true)) AS r ON r.hotkey = l.miner_hotkey
  ORDER BY r.rank, l.zipcode, l.zpid
) TO {{output}} (FORMAT parquet, COMPRESSION zstd);
