-- Reconnects (issue 13); see prisma/migrations/20261202100000_reconnects.
-- AlterTable
ALTER TABLE "close_event" ADD COLUMN     "client_key" TEXT,
ADD COLUMN     "client_agent" TEXT,
ADD COLUMN     "opened_at" BIGINT,
ADD COLUMN     "previous_code" INTEGER,
ADD COLUMN     "reconnect_delay_ms" BIGINT;

-- CreateIndex
CREATE INDEX "close_event_client_key_opened_at_idx" ON "close_event"("client_key", "opened_at");

