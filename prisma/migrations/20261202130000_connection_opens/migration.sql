-- Connection opens (issue 13): the server SDK reports each connection when it opens, so a
-- client that reconnected and stays connected counts as back before its connection closes.
-- CreateTable
CREATE TABLE "connection_open" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key_id" TEXT NOT NULL,
    "notice_id" TEXT NOT NULL,
    "client_key" TEXT NOT NULL,
    "opened_at" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "received_at" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "connection_open_client_key_opened_at_idx" ON "connection_open"("client_key", "opened_at");

-- CreateIndex
CREATE INDEX "connection_open_opened_at_idx" ON "connection_open"("opened_at");

-- CreateIndex
CREATE UNIQUE INDEX "connection_open_key_id_notice_id_key" ON "connection_open"("key_id", "notice_id");
