-- Counts, per file, the rows that break each row-level rule of the validator's data checks (the protocol
-- stamp, the ZIP code, the scrape time, identity values, plausibility against the assigned ZIP) and the
-- non-null values of every listing column, and lists its zpids, in one pass that decodes every column in
-- full (so corrupt pages fail here too). One pass matters: with one small file per ZIP, reading a column
-- chunk costs more than the per-row work.
-- Params:
--   paths  list of local file paths (all with the listing schema);
--   columns  list of the listing columns (their non-null values are counted);
--   files  JSON array of {"path", "zipcode", "until_ms"}: each file's ZIP from its key's partition and the
--          receipt (Unix ms, nullable) of the part it is credited to, which no scrape time may pass;
--   zips   JSON array of {"zipcode", "state", "latitude", "longitude"}: the assigned ZIPs, centre nullable
--          (JSON typed by from_json, because a SQL list literal can hold neither nulls nor an empty list);
--   epoch_id, nonce, hotkey: the values every row must carry;
--   start_ms, end_ms: the epoch window [start, end) in Unix ms that scraped_at must lie in;
--   statuses, home_types: lists of the allowed listing_status and home_type values;
--   for_sale: list of the listing_status values the subnet buys (shared/schemas/listing.ts FOR_SALE_STATUSES);
--   price_min, price_max, rooms_max, area_min, area_max, near_degrees: plausibility
--   bounds (price USD, bedrooms and bathrooms, living area sqft, max degrees from the ZIP centre).
-- Output columns (one row per file with rows, BIGINT counts unless noted): filename VARCHAR, row_count,
--   wrong_epoch, wrong_nonce, wrong_hotkey, wrong_zipcode, wrong_address_zip, outside_epoch,
--   after_receipt (rows scraped after the file's until_ms), for_sale (rows in a for_sale status),
--   first_scraped_ms, last_scraped_ms (BIGINT ms, null when none is finite), bad_zpid, bad_url, bad_source,
--   bad_status, bad_home_type, bad_number (NaN, infinite or out-of-range numbers), bad_price, bad_bedrooms, bad_bathrooms, bad_area, far_from_zip, wrong_state,
--   implausible (rows breaking any plausibility rule), zpids VARCHAR[] (the file's non-null zpids, repeats
--   kept, for duplicate and uniqueness counts), then one BIGINT per listing column, named after it: its
--   non-null values, then the same over the for-sale rows only, named for_sale_{column}.
WITH files AS (
  SELECT unnest(from_json({{files}}, '[{"path":"VARCHAR","zipcode":"VARCHAR","until_ms":"BIGINT"}]'), recursive := true)
),
zips AS (
  SELECT unnest(
    from_json({{zips}}, '[{"zipcode":"VARCHAR","state":"VARCHAR","latitude":"DOUBLE","longitude":"DOUBLE"}]'),
    recursive := true
  )
),
flagged AS (
  SELECT
    r.*,
    r.epoch_id IS DISTINCT FROM {{epoch_id}} AS wrong_epoch,
    r.nonce IS DISTINCT FROM {{nonce}} AS wrong_nonce,
    r.miner_hotkey IS DISTINCT FROM {{hotkey}} AS wrong_hotkey,
    r.zipcode IS DISTINCT FROM f.zipcode AS wrong_zipcode,
    -- The address must end in the row's ZIP (optionally ZIP+4): listings padded in from nearby ZIPs fail.
    regexp_extract(r.address_full, '([0-9]{5})(?:-[0-9]{4})?\s*$', 1) IS DISTINCT FROM r.zipcode
      AS wrong_address_zip,
    -- Null and infinite times fail too: the comparison must be true, not merely not false.
    NOT coalesce(
      r.scraped_at >= make_timestamptz({{start_ms}}::BIGINT * 1000)
        AND r.scraped_at < make_timestamptz({{end_ms}}::BIGINT * 1000),
      false
    ) AS outside_epoch,
    coalesce(r.scraped_at > make_timestamptz(f.until_ms * 1000), false) AS after_receipt,
    coalesce(list_contains({{for_sale}}, r.listing_status), false) AS for_sale,
    NOT coalesce(regexp_full_match(r.zpid, '[0-9]{1,12}'), false) AS bad_zpid,
    -- The detail URL's `/{zpid}_zpid` segment must name this row's zpid (a plain substring test is exact
    -- here: the leading slash stops a longer number from matching).
    NOT coalesce(contains(r.url, '/' || r.zpid || '_zpid'), false) AS bad_url,
    r.source IS DISTINCT FROM 'zillow' AS bad_source,
    NOT coalesce(list_contains({{statuses}}, r.listing_status), false) AS bad_status,
    NOT coalesce(list_contains({{home_types}}, r.home_type), false) AS bad_home_type,
    -- Every number present must be finite and within the listing schema's range (shared/schemas/
    -- listing.ts): NaN would count as filled and never mismatch a spot check (NaN compares false).
    NOT (
      coalesce(isfinite(r.latitude) AND r.latitude BETWEEN -90 AND 90, true)
      AND coalesce(isfinite(r.longitude) AND r.longitude BETWEEN -180 AND 180, true)
      AND coalesce(isfinite(r.bathrooms) AND r.bathrooms >= 0, true)
      AND coalesce(isfinite(r.tax_assessed_value), true)
      AND coalesce(r.price >= 0, true)
      AND coalesce(r.bedrooms >= 0, true)
      AND coalesce(r.living_area_sqft >= 0, true)
      AND coalesce(r.lot_size_sqft >= 0, true)
      AND coalesce(r.days_on_zillow >= 0, true)
      AND coalesce(r.photo_count >= 0, true)
      AND coalesce(isfinite(r.listed_date), true)
    ) AS bad_number,
    -- Plausibility judges present values only; a null is a completeness gap, not an implausible value.
    coalesce(NOT (r.price BETWEEN {{price_min}} AND {{price_max}}), false) AS bad_price,
    coalesce(NOT (r.bedrooms BETWEEN 0 AND {{rooms_max}}), false) AS bad_bedrooms,
    coalesce(NOT (r.bathrooms BETWEEN 0 AND {{rooms_max}}), false) AS bad_bathrooms,
    coalesce(NOT (r.living_area_sqft BETWEEN {{area_min}} AND {{area_max}}), false) AS bad_area,
    coalesce(
      NOT (abs(r.latitude - z.latitude) <= {{near_degrees}}
        AND abs(r.longitude - z.longitude) <= {{near_degrees}}),
      false
    ) AS far_from_zip,
    z.state IS NOT NULL AND upper(r.state) IS DISTINCT FROM upper(z.state) AS wrong_state
  FROM read_parquet({{paths}}, filename = true) AS r
  JOIN files AS f ON f.path = r.filename
  LEFT JOIN zips AS z ON z.zipcode = f.zipcode
)
SELECT
  filename,
  count(*) AS row_count,
  count_if(wrong_epoch) AS wrong_epoch,
  count_if(wrong_nonce) AS wrong_nonce,
  count_if(wrong_hotkey) AS wrong_hotkey,
  count_if(wrong_zipcode) AS wrong_zipcode,
  count_if(wrong_address_zip) AS wrong_address_zip,
  count_if(outside_epoch) AS outside_epoch,
  count_if(after_receipt) AS after_receipt,
  count_if(for_sale) AS for_sale,
  epoch_ms(min(scraped_at) FILTER (WHERE isfinite(scraped_at))) AS first_scraped_ms,
  epoch_ms(max(scraped_at) FILTER (WHERE isfinite(scraped_at))) AS last_scraped_ms,
  count_if(bad_zpid) AS bad_zpid,
  count_if(bad_url) AS bad_url,
  count_if(bad_source) AS bad_source,
  count_if(bad_status) AS bad_status,
  count_if(bad_home_type) AS bad_home_type,
  count_if(bad_number) AS bad_number,
  count_if(bad_price) AS bad_price,
  count_if(bad_bedrooms) AS bad_bedrooms,
  count_if(bad_bathrooms) AS bad_bathrooms,
  count_if(bad_area) AS bad_area,
  count_if(far_from_zip) AS far_from_zip,
  count_if(wrong_state) AS wrong_state,
  count_if(bad_price OR bad_bedrooms OR bad_bathrooms OR bad_area OR far_from_zip OR wrong_state)
    AS implausible,
  coalesce(list(zpid) FILTER (WHERE zpid IS NOT NULL), []) AS zpids,
  count(COLUMNS(c -> list_contains({{columns}}, c))),
  count(CASE WHEN for_sale THEN COLUMNS(c -> list_contains({{columns}}, c)) END) AS "for_sale_\0"
FROM flagged
GROUP BY filename
ORDER BY filename;
