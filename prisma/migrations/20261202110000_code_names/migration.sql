-- CreateTable
CREATE TABLE "close_code_name" (
    "code" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "meaning" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "retry" BOOLEAN NOT NULL,
    "alert_worthy" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

