-- Per-code rollups keyed (bucket, code, service); see prisma/migrations/20261202140000_code_rollups_by_code.

-- AlterTable
ALTER TABLE "code_rollup_minute" DROP CONSTRAINT "code_rollup_minute_pkey",
ADD CONSTRAINT "code_rollup_minute_pkey" PRIMARY KEY ("bucket", "code", "service");

-- AlterTable
ALTER TABLE "code_rollup_hour" DROP CONSTRAINT "code_rollup_hour_pkey",
ADD CONSTRAINT "code_rollup_hour_pkey" PRIMARY KEY ("bucket", "code", "service");

-- AlterTable
ALTER TABLE "code_rollup_day" DROP CONSTRAINT "code_rollup_day_pkey",
ADD CONSTRAINT "code_rollup_day_pkey" PRIMARY KEY ("bucket", "code", "service");
