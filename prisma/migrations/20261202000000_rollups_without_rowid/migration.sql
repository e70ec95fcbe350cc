-- Rollup tables as WITHOUT ROWID: each row lives once, in its primary key's B-tree, instead of
-- a rowid table plus an index repeating every key column (dbstat on bench:query's data set:
-- the primary-key indexes were about a quarter of the file). Columns, keys and indexes are
-- unchanged, so the Prisma schema is too; only SQLite's storage of these tables differs.

-- close_rollup_minute
CREATE TABLE "new_close_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "initiator" TEXT NOT NULL,
    "reason_template" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "clean_count" INTEGER NOT NULL,
    "duration_sum_ms" BIGINT NOT NULL,
    "duration_count" INTEGER NOT NULL,
    "bytes_in" BIGINT NOT NULL,
    "bytes_out" BIGINT NOT NULL,

    PRIMARY KEY ("bucket", "service", "route", "code", "initiator", "reason_template")
) WITHOUT ROWID;
INSERT INTO "new_close_rollup_minute" SELECT * FROM "close_rollup_minute";
DROP TABLE "close_rollup_minute";
ALTER TABLE "new_close_rollup_minute" RENAME TO "close_rollup_minute";
CREATE INDEX "close_rollup_minute_service_bucket_idx" ON "close_rollup_minute"("service", "bucket");

-- close_rollup_hour
CREATE TABLE "new_close_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "initiator" TEXT NOT NULL,
    "reason_template" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "clean_count" INTEGER NOT NULL,
    "duration_sum_ms" BIGINT NOT NULL,
    "duration_count" INTEGER NOT NULL,
    "bytes_in" BIGINT NOT NULL,
    "bytes_out" BIGINT NOT NULL,

    PRIMARY KEY ("bucket", "service", "route", "code", "initiator", "reason_template")
) WITHOUT ROWID;
INSERT INTO "new_close_rollup_hour" SELECT * FROM "close_rollup_hour";
DROP TABLE "close_rollup_hour";
ALTER TABLE "new_close_rollup_hour" RENAME TO "close_rollup_hour";
CREATE INDEX "close_rollup_hour_service_bucket_idx" ON "close_rollup_hour"("service", "bucket");

-- lifetime_rollup_minute
CREATE TABLE "new_lifetime_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "code", "lifetime_bucket")
) WITHOUT ROWID;
INSERT INTO "new_lifetime_rollup_minute" SELECT * FROM "lifetime_rollup_minute";
DROP TABLE "lifetime_rollup_minute";
ALTER TABLE "new_lifetime_rollup_minute" RENAME TO "lifetime_rollup_minute";

-- lifetime_rollup_hour
CREATE TABLE "new_lifetime_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "code", "lifetime_bucket")
) WITHOUT ROWID;
INSERT INTO "new_lifetime_rollup_hour" SELECT * FROM "lifetime_rollup_hour";
DROP TABLE "lifetime_rollup_hour";
ALTER TABLE "new_lifetime_rollup_hour" RENAME TO "lifetime_rollup_hour";

-- code_rollup_minute
CREATE TABLE "new_code_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "code")
) WITHOUT ROWID;
INSERT INTO "new_code_rollup_minute" SELECT * FROM "code_rollup_minute";
DROP TABLE "code_rollup_minute";
ALTER TABLE "new_code_rollup_minute" RENAME TO "code_rollup_minute";

-- instance_rollup_minute
CREATE TABLE "new_instance_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "instance", "code")
) WITHOUT ROWID;
INSERT INTO "new_instance_rollup_minute" SELECT * FROM "instance_rollup_minute";
DROP TABLE "instance_rollup_minute";
ALTER TABLE "new_instance_rollup_minute" RENAME TO "instance_rollup_minute";

-- instance_rollup_hour
CREATE TABLE "new_instance_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "instance", "code")
) WITHOUT ROWID;
INSERT INTO "new_instance_rollup_hour" SELECT * FROM "instance_rollup_hour";
DROP TABLE "instance_rollup_hour";
ALTER TABLE "new_instance_rollup_hour" RENAME TO "instance_rollup_hour";
