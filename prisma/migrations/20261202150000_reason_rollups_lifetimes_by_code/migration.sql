-- Reason rollups: closes per bucket x code x reason template x service, so the reasons
-- view no longer aggregates the close rollups (every route and initiator of every
-- template: ~56k rows over 24 h at 10M events, ~55 ms of SQLite sorting) but a few dozen
-- rows per bucket, grouped in key order. Filled from the close rollups, which hold the
-- same counts.
-- Lifetime rollups keyed (bucket, code, lifetime_bucket, service) instead of
-- (bucket, service, code, lifetime_bucket), for the same reason: the histogram groups each
-- bucket's rows by code and lifetime bucket in key order. Tables WITHOUT ROWID, as every
-- rollup table.

-- reason_rollup_minute
CREATE TABLE "reason_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "reason_template", "service")
) WITHOUT ROWID;
INSERT INTO "reason_rollup_minute" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_minute"
    GROUP BY "bucket", "code", "reason_template", "service";

-- reason_rollup_hour
CREATE TABLE "reason_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "reason_template", "service")
) WITHOUT ROWID;
INSERT INTO "reason_rollup_hour" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_hour"
    GROUP BY "bucket", "code", "reason_template", "service";

-- reason_rollup_day
CREATE TABLE "reason_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "reason_template", "service")
) WITHOUT ROWID;
INSERT INTO "reason_rollup_day" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_day"
    GROUP BY "bucket", "code", "reason_template", "service";

-- lifetime_rollup_minute
CREATE TABLE "new_lifetime_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service")
) WITHOUT ROWID;
INSERT INTO "new_lifetime_rollup_minute" ("bucket", "service", "code", "lifetime_bucket", "count")
    SELECT "bucket", "service", "code", "lifetime_bucket", "count" FROM "lifetime_rollup_minute";
DROP TABLE "lifetime_rollup_minute";
ALTER TABLE "new_lifetime_rollup_minute" RENAME TO "lifetime_rollup_minute";

-- lifetime_rollup_hour
CREATE TABLE "new_lifetime_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service")
) WITHOUT ROWID;
INSERT INTO "new_lifetime_rollup_hour" ("bucket", "service", "code", "lifetime_bucket", "count")
    SELECT "bucket", "service", "code", "lifetime_bucket", "count" FROM "lifetime_rollup_hour";
DROP TABLE "lifetime_rollup_hour";
ALTER TABLE "new_lifetime_rollup_hour" RENAME TO "lifetime_rollup_hour";

-- lifetime_rollup_day
CREATE TABLE "new_lifetime_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service")
) WITHOUT ROWID;
INSERT INTO "new_lifetime_rollup_day" ("bucket", "service", "code", "lifetime_bucket", "count")
    SELECT "bucket", "service", "code", "lifetime_bucket", "count" FROM "lifetime_rollup_day";
DROP TABLE "lifetime_rollup_day";
ALTER TABLE "new_lifetime_rollup_day" RENAME TO "lifetime_rollup_day";
