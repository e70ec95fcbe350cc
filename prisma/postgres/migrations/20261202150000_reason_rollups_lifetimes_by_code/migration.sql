-- Reason rollups and lifetime rollups keyed by code first; see prisma/migrations/20261202150000_reason_rollups_lifetimes_by_code.

-- CreateTable
CREATE TABLE "reason_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reason_rollup_minute_pkey" PRIMARY KEY ("bucket", "code", "reason_template", "service")
);
INSERT INTO "reason_rollup_minute" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_minute"
    GROUP BY "bucket", "code", "reason_template", "service";

-- CreateTable
CREATE TABLE "reason_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reason_rollup_hour_pkey" PRIMARY KEY ("bucket", "code", "reason_template", "service")
);
INSERT INTO "reason_rollup_hour" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_hour"
    GROUP BY "bucket", "code", "reason_template", "service";

-- CreateTable
CREATE TABLE "reason_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "reason_template" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reason_rollup_day_pkey" PRIMARY KEY ("bucket", "code", "reason_template", "service")
);
INSERT INTO "reason_rollup_day" ("bucket", "code", "reason_template", "service", "count")
    SELECT "bucket", "code", "reason_template", "service", SUM("count") FROM "close_rollup_day"
    GROUP BY "bucket", "code", "reason_template", "service";

-- AlterTable
ALTER TABLE "lifetime_rollup_minute" DROP CONSTRAINT "lifetime_rollup_minute_pkey",
ADD CONSTRAINT "lifetime_rollup_minute_pkey" PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service");

-- AlterTable
ALTER TABLE "lifetime_rollup_hour" DROP CONSTRAINT "lifetime_rollup_hour_pkey",
ADD CONSTRAINT "lifetime_rollup_hour_pkey" PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service");

-- AlterTable
ALTER TABLE "lifetime_rollup_day" DROP CONSTRAINT "lifetime_rollup_day_pkey",
ADD CONSTRAINT "lifetime_rollup_day_pkey" PRIMARY KEY ("bucket", "code", "lifetime_bucket", "service");
