-- Reconnects (issue 13): who the client is, when its connection opened, and what the browser SDK
-- reports of its own reconnects; the index answers "when did this client connect next?".
-- AlterTable (in the schema's column order: a database made from the schema has the same table)
ALTER TABLE "close_event" ADD COLUMN "client_key" TEXT;
ALTER TABLE "close_event" ADD COLUMN "client_agent" TEXT;
ALTER TABLE "close_event" ADD COLUMN "opened_at" BIGINT;
ALTER TABLE "close_event" ADD COLUMN "previous_code" INTEGER;
ALTER TABLE "close_event" ADD COLUMN "reconnect_delay_ms" BIGINT;

-- CreateIndex
CREATE INDEX "close_event_client_key_opened_at_idx" ON "close_event"("client_key", "opened_at");

