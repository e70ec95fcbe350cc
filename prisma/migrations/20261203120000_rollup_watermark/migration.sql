-- The rollup watermark (server/src/storage/rollup-watermark.ts): hour and day rollups are
-- written once an hour is over, from its minute rows. Until now every transaction wrote
-- them, so they are complete up to the newest hour row; an empty database starts at the
-- current hour.
INSERT INTO "setting" ("key", "value")
SELECT 'rollups.rolled_to', CAST(COALESCE(
  (SELECT MAX("bucket") + 3600000 FROM "close_rollup_hour"),
  (CAST(strftime('%s', 'now') AS INTEGER) / 3600) * 3600000
) AS TEXT)
WHERE NOT EXISTS (SELECT 1 FROM "setting" WHERE "key" = 'rollups.rolled_to');
