-- CreateTable
CREATE TABLE "alert_rule" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "alert_instance" (
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "pending_since" BIGINT NOT NULL,
    "last_true_at" BIGINT NOT NULL,
    "episode_id" TEXT,

    PRIMARY KEY ("rule_id", "group_key")
);

-- CreateTable
CREATE TABLE "alert_episode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "pending_since" BIGINT NOT NULL,
    "started_at" BIGINT NOT NULL,
    "ended_at" BIGINT,
    "peak_value" REAL NOT NULL,
    "baseline" TEXT NOT NULL,
    "top_reasons" TEXT NOT NULL,
    "top_routes" TEXT NOT NULL,
    "rule_snapshot" TEXT NOT NULL,
    "notified" BOOLEAN NOT NULL DEFAULT false,
    "last_notified_at" BIGINT
);

-- CreateTable
CREATE TABLE "silence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matcher" TEXT NOT NULL,
    "starts_at" BIGINT NOT NULL,
    "ends_at" BIGINT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "notification_target" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "notification_delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "target_id" TEXT NOT NULL,
    "episode_id" TEXT,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "notification_attempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "delivery_id" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "at" BIGINT NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL
);

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

