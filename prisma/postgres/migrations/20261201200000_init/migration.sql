-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'server',
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "allowed_origins" TEXT NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_account" (
    "id" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "admin_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "expires_at" BIGINT NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "close_event" (
    "seq" BIGSERIAL NOT NULL,
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
    "remote_addr_hash" TEXT,

    CONSTRAINT "close_event_pkey" PRIMARY KEY ("seq")
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

    CONSTRAINT "close_rollup_minute_pkey" PRIMARY KEY ("bucket","service","route","code","initiator","reason_template")
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

    CONSTRAINT "close_rollup_hour_pkey" PRIMARY KEY ("bucket","service","route","code","initiator","reason_template")
);

-- CreateTable
CREATE TABLE "code_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "code_rollup_minute_pkey" PRIMARY KEY ("bucket","service","code")
);

-- CreateTable
CREATE TABLE "instance_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "instance_rollup_minute_pkey" PRIMARY KEY ("bucket","service","instance","code")
);

-- CreateTable
CREATE TABLE "instance_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "instance_rollup_hour_pkey" PRIMARY KEY ("bucket","service","instance","code")
);

-- CreateTable
CREATE TABLE "lifetime_rollup_minute" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "lifetime_rollup_minute_pkey" PRIMARY KEY ("bucket","service","code","lifetime_bucket")
);

-- CreateTable
CREATE TABLE "lifetime_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "lifetime_bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "lifetime_rollup_hour_pkey" PRIMARY KEY ("bucket","service","code","lifetime_bucket")
);

-- CreateTable
CREATE TABLE "drop_report" (
    "id" SERIAL NOT NULL,
    "key_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "dropped" INTEGER NOT NULL,
    "received_at" BIGINT NOT NULL,

    CONSTRAINT "drop_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "selector" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "for_ms" INTEGER NOT NULL,
    "keep_firing_for_ms" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "group_by" TEXT NOT NULL,
    "repeat_interval_ms" INTEGER,
    "target_ids" TEXT,
    "builtin" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_instance" (
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "pending_since" BIGINT NOT NULL,
    "last_true_at" BIGINT NOT NULL,
    "episode_id" TEXT,

    CONSTRAINT "alert_instance_pkey" PRIMARY KEY ("rule_id","group_key")
);

-- CreateTable
CREATE TABLE "alert_episode" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "pending_since" BIGINT NOT NULL,
    "started_at" BIGINT NOT NULL,
    "ended_at" BIGINT,
    "peak_value" DOUBLE PRECISION NOT NULL,
    "baseline" TEXT NOT NULL,
    "top_reasons" TEXT NOT NULL,
    "top_routes" TEXT NOT NULL,
    "rule_snapshot" TEXT NOT NULL,
    "notified" BOOLEAN NOT NULL DEFAULT false,
    "last_notified_at" BIGINT,

    CONSTRAINT "alert_episode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "silence" (
    "id" TEXT NOT NULL,
    "matcher" TEXT NOT NULL,
    "starts_at" BIGINT NOT NULL,
    "ends_at" BIGINT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_target" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_delivery" (
    "id" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "episode_id" TEXT,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_attempt" (
    "id" SERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "at" BIGINT NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "notification_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

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

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_builtin_key" ON "alert_rule"("builtin");

-- CreateIndex
CREATE INDEX "alert_episode_rule_id_started_at_idx" ON "alert_episode"("rule_id", "started_at");

-- CreateIndex
CREATE INDEX "alert_episode_started_at_idx" ON "alert_episode"("started_at");

-- CreateIndex
CREATE INDEX "alert_episode_ended_at_idx" ON "alert_episode"("ended_at");

-- CreateIndex
CREATE INDEX "silence_ends_at_idx" ON "silence"("ends_at");

-- CreateIndex
CREATE INDEX "notification_delivery_state_next_attempt_at_idx" ON "notification_delivery"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_delivery_target_id_created_at_idx" ON "notification_delivery"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_attempt_target_id_at_idx" ON "notification_attempt"("target_id", "at");

-- CreateIndex
CREATE INDEX "notification_attempt_delivery_id_idx" ON "notification_attempt"("delivery_id");

