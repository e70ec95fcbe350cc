-- Connection opens (issue 13); see prisma/migrations/20261202130000_connection_opens.
-- CreateTable
CREATE TABLE "connection_open" (
    "id" SERIAL NOT NULL,
    "key_id" TEXT NOT NULL,
    "notice_id" TEXT NOT NULL,
    "client_key" TEXT NOT NULL,
    "opened_at" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "received_at" BIGINT NOT NULL,

    CONSTRAINT "connection_open_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "connection_open_client_key_opened_at_idx" ON "connection_open"("client_key", "opened_at");

-- CreateIndex
CREATE INDEX "connection_open_opened_at_idx" ON "connection_open"("opened_at");

-- CreateIndex
CREATE UNIQUE INDEX "connection_open_key_id_notice_id_key" ON "connection_open"("key_id", "notice_id");
