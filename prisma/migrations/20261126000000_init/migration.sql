-- CreateTable
CREATE TABLE "ingest_key" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'server',
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "allowed_origins" TEXT NOT NULL DEFAULT '[]',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" DATETIME
);

-- CreateTable
CREATE TABLE "close_event" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,
    "received_at" BIGINT NOT NULL,
    "code" INTEGER,
    "reason" TEXT NOT NULL DEFAULT '',
    "reason_truncated" BOOLEAN NOT NULL DEFAULT false,
    "reason_template" TEXT NOT NULL DEFAULT '',
    "was_clean" BOOLEAN NOT NULL,
    "initiator" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'server',
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "duration_ms" BIGINT,
    "messages_in" BIGINT,
    "messages_out" BIGINT,
    "bytes_in" BIGINT,
    "bytes_out" BIGINT,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "remote_addr_hash" TEXT
);

-- CreateTable
CREATE TABLE "close_rollup_minute" (
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
);

-- CreateTable
CREATE TABLE "close_rollup_hour" (
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
);

-- CreateTable
CREATE TABLE "lifetime_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "code", "lifetime_bucket")
);

-- CreateTable
CREATE TABLE "lifetime_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("bucket", "service", "code", "lifetime_bucket")
);

-- CreateTable
CREATE TABLE "drop_report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "dropped" INTEGER NOT NULL,
    "received_at" BIGINT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ingest_key_key_hash_key" ON "ingest_key"("key_hash");

-- CreateIndex
CREATE INDEX "close_event_ts_idx" ON "close_event"("ts");

-- CreateIndex
CREATE INDEX "close_event_code_ts_idx" ON "close_event"("code", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "close_event_key_id_event_id_key" ON "close_event"("key_id", "event_id");

-- CreateIndex
CREATE INDEX "close_rollup_minute_service_bucket_idx" ON "close_rollup_minute"("service", "bucket");

-- CreateIndex
CREATE INDEX "close_rollup_hour_service_bucket_idx" ON "close_rollup_hour"("service", "bucket");

-- CreateIndex
CREATE INDEX "drop_report_received_at_idx" ON "drop_report"("received_at");

