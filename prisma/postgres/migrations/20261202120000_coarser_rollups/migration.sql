-- Per-code hour and day rollups, day rollups of close, instance and lifetime; see prisma/migrations/20261202120000_coarser_rollups.

-- CreateTable
CREATE TABLE "code_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "code_rollup_hour_pkey" PRIMARY KEY ("bucket","service","code")
);

-- CreateTable
CREATE TABLE "code_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "code_rollup_day_pkey" PRIMARY KEY ("bucket","service","code")
);

-- CreateTable
CREATE TABLE "close_rollup_day" (
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

    CONSTRAINT "close_rollup_day_pkey" PRIMARY KEY ("bucket","service","route","code","initiator","reason_template")
);

-- CreateTable
CREATE TABLE "instance_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "instance_rollup_day_pkey" PRIMARY KEY ("bucket","service","instance","code")
);

-- CreateTable
CREATE TABLE "lifetime_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "lifetime_rollup_day_pkey" PRIMARY KEY ("bucket","service","code","lifetime_bucket")
);

-- Filled from the hour rollups (which equal the raw events), so reads that use day rows
-- give the same answers at once. Days are epoch-aligned (UTC), as the writer buckets them.
INSERT INTO "close_rollup_day" ("bucket", "service", "route", "code", "initiator", "reason_template", "count", "clean_count",
    "duration_sum_ms", "duration_count", "bytes_in", "bytes_out")
SELECT "bucket" - "bucket" % 86400000, "service", "route", "code", "initiator", "reason_template", SUM("count"), SUM("clean_count"),
    SUM("duration_sum_ms"), SUM("duration_count"), SUM("bytes_in"), SUM("bytes_out")
FROM "close_rollup_hour" GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO "instance_rollup_day" ("bucket", "service", "instance", "code", "count")
SELECT "bucket" - "bucket" % 86400000, "service", "instance", "code", SUM("count")
FROM "instance_rollup_hour" GROUP BY 1, 2, 3, 4;

INSERT INTO "lifetime_rollup_day" ("bucket", "service", "code", "lifetime_bucket", "count")
SELECT "bucket" - "bucket" % 86400000, "service", "code", "lifetime_bucket", SUM("count")
FROM "lifetime_rollup_hour" GROUP BY 1, 2, 3, 4;

INSERT INTO "code_rollup_hour" ("bucket", "service", "code", "count")
SELECT "bucket", "service", "code", SUM("count")
FROM "close_rollup_hour" GROUP BY 1, 2, 3;

INSERT INTO "code_rollup_day" ("bucket", "service", "code", "count")
SELECT "bucket" - "bucket" % 86400000, "service", "code", SUM("count")
FROM "close_rollup_hour" GROUP BY 1, 2, 3;
