-- CreateTable
CREATE TABLE "stream_snapshots" (
    "stream_id" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_snapshots_pkey" PRIMARY KEY ("stream_id")
);
