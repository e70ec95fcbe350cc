-- CreateTable
CREATE TABLE "close_code_name" (
    "code" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "meaning" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "retry" BOOLEAN NOT NULL,
    "alert_worthy" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "close_code_name_pkey" PRIMARY KEY ("code")
);

