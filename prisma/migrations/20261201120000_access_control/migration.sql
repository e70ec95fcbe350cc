-- Ingest keys become API keys (a `read` kind joins `server` and `browser`); renamed in
-- place so existing keys keep working.
ALTER TABLE "ingest_key" RENAME TO "api_key";
DROP INDEX "ingest_key_key_hash_key";
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateTable
CREATE TABLE "admin_account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "password_hash" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "data" TEXT NOT NULL,
    "expires_at" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");
