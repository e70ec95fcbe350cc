-- Reconnect matching at ingest; see prisma/migrations/20261202160000_reconnect_matching.

-- CreateTable
CREATE TABLE "reconnect_close" (
    "seq" BIGINT NOT NULL,
    "ts" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "agent" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "client_key" TEXT NOT NULL,
    "next_open" BIGINT,

    CONSTRAINT "reconnect_close_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "reconnect_rollup_hour" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "agent" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reconnect_rollup_hour_pkey" PRIMARY KEY ("bucket", "code", "agent", "key_prefix", "step")
);

-- CreateTable
CREATE TABLE "reconnect_rollup_day" (
    "bucket" BIGINT NOT NULL,
    "code" INTEGER NOT NULL,
    "agent" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reconnect_rollup_day_pkey" PRIMARY KEY ("bucket", "code", "agent", "key_prefix", "step")
);

-- CreateTable
CREATE TABLE "reconnect_close_second" (
    "bucket" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "reconnect_close_second_pkey" PRIMARY KEY ("bucket")
);

-- CreateIndex
CREATE INDEX "reconnect_close_client_key_ts_idx" ON "reconnect_close"("client_key", "ts");

-- CreateIndex
CREATE INDEX "reconnect_close_ts_code_agent_key_prefix_next_open_idx" ON "reconnect_close"("ts", "code", "agent", "key_prefix", "next_open");

-- CreateIndex
CREATE INDEX "reconnect_close_service_ts_idx" ON "reconnect_close"("service", "ts");

-- Backfill: every stored reconnect-advising close with its client's earliest next opening.
INSERT INTO "reconnect_close" ("seq", "ts", "service", "code", "agent", "key_prefix", "client_key", "next_open")
SELECT c.seq, c.ts, c.service, c.code, COALESCE(c.client_agent, ''), COALESCE(CASE WHEN strpos(c.client_key, ':') > 1 THEN split_part(c.client_key, ':', 1) END, ''), c.client_key,
    (SELECT MIN(opened_at) FROM (
        SELECT MIN(n.opened_at) AS opened_at FROM close_event AS n
            WHERE n.client_key = c.client_key AND n.opened_at >= c.ts - 1000 AND n.opened_at < c.ts + 600000
                AND n.service = c.service AND n.seq <> c.seq
        UNION ALL
        SELECT MIN(o.opened_at) AS opened_at FROM connection_open AS o
            WHERE o.client_key = c.client_key AND o.opened_at >= c.ts - 1000 AND o.opened_at < c.ts + 600000
                AND o.service = c.service AND NOT (o.key_id = c.key_id AND o.notice_id = c.event_id)) AS next_opens)
FROM close_event AS c
WHERE c.code IN (1001, 1012, 1013) AND c.initiator = 'server' AND c.client_key IS NOT NULL;

INSERT INTO "reconnect_rollup_hour" ("bucket", "code", "agent", "key_prefix", "step", "count")
    SELECT "ts" - "ts" % 3600000, "code", "agent", "key_prefix", CASE WHEN "next_open" IS NULL THEN -1
        WHEN "next_open" < "ts" THEN 0
        WHEN "next_open" - "ts" < 5000 THEN (("next_open" - "ts") / 100) * 100
        WHEN "next_open" - "ts" < 60000 THEN (("next_open" - "ts") / 1000) * 1000
        WHEN "next_open" - "ts" < 120000 THEN 60000
        WHEN "next_open" - "ts" < 300000 THEN 120000
        ELSE 300000 END, COUNT(*)
    FROM "reconnect_close" GROUP BY 1, 2, 3, 4, 5;

INSERT INTO "reconnect_rollup_day" ("bucket", "code", "agent", "key_prefix", "step", "count")
    SELECT "ts" - "ts" % 86400000, "code", "agent", "key_prefix", CASE WHEN "next_open" IS NULL THEN -1
        WHEN "next_open" < "ts" THEN 0
        WHEN "next_open" - "ts" < 5000 THEN (("next_open" - "ts") / 100) * 100
        WHEN "next_open" - "ts" < 60000 THEN (("next_open" - "ts") / 1000) * 1000
        WHEN "next_open" - "ts" < 120000 THEN 60000
        WHEN "next_open" - "ts" < 300000 THEN 120000
        ELSE 300000 END, COUNT(*)
    FROM "reconnect_close" GROUP BY 1, 2, 3, 4, 5;

INSERT INTO "reconnect_close_second" ("bucket", "count")
    SELECT "ts" - "ts" % 1000, COUNT(*) FROM "reconnect_close" GROUP BY 1;
