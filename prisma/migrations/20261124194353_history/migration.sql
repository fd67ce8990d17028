-- CreateTable
CREATE TABLE "history_entries" (
    "id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" TEXT,
    "content" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "stream_version" INTEGER NOT NULL,
    "subject_type" TEXT,
    "subject_id" TEXT,
    "metrics" JSONB NOT NULL,
    "analyzer_name" TEXT NOT NULL,
    "analyzer_version" TEXT NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),
    "delete_reason" TEXT,
    "deleted_position" BIGINT,
    "assessment_count" INTEGER NOT NULL,
    "latest_assessment_id" TEXT,
    "latest_score" DOUBLE PRECISION,
    "created_position" BIGINT NOT NULL,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "history_entry_versions" (
    "entry_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" TEXT,
    "content" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "analyzer_name" TEXT NOT NULL,
    "analyzer_version" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_entry_versions_pkey" PRIMARY KEY ("entry_id","version")
);

-- CreateTable
CREATE TABLE "history_assessments" (
    "id" TEXT NOT NULL,
    "entry_id" TEXT NOT NULL,
    "entry_version" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "dimensions" JSONB NOT NULL,
    "assessor_name" TEXT NOT NULL,
    "assessor_version" TEXT NOT NULL,
    "job_id" TEXT,
    "position" BIGINT NOT NULL,
    "assessed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_assessments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "history_comparisons" (
    "id" TEXT NOT NULL,
    "left_entry_id" TEXT NOT NULL,
    "left_version" INTEGER NOT NULL,
    "left_quality" DOUBLE PRECISION NOT NULL,
    "right_entry_id" TEXT NOT NULL,
    "right_version" INTEGER NOT NULL,
    "right_quality" DOUBLE PRECISION NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,
    "jaccard" DOUBLE PRECISION NOT NULL,
    "edit_distance_ratio" DOUBLE PRECISION NOT NULL,
    "scores" JSONB NOT NULL,
    "left_metrics" JSONB NOT NULL,
    "right_metrics" JSONB NOT NULL,
    "metric_deltas" JSONB NOT NULL,
    "winner" TEXT NOT NULL,
    "winner_entry_id" TEXT,
    "analyzer_name" TEXT NOT NULL,
    "analyzer_version" TEXT NOT NULL,
    "assessor_name" TEXT NOT NULL,
    "assessor_version" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "compared_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_comparisons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "history_model_analytics" (
    "model" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "assessed_entries" INTEGER NOT NULL,
    "assessments" INTEGER NOT NULL,
    "score_sum_e4" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_model_analytics_pkey" PRIMARY KEY ("model")
);

-- CreateTable
CREATE TABLE "history_model_score_buckets" (
    "model" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "history_model_score_buckets_pkey" PRIMARY KEY ("model","bucket")
);

-- CreateTable
CREATE TABLE "history_model_daily" (
    "model" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "assessments" INTEGER NOT NULL,
    "score_sum_e4" BIGINT NOT NULL,

    CONSTRAINT "history_model_daily_pkey" PRIMARY KEY ("model","day")
);

-- CreateTable
CREATE TABLE "history_analysis_jobs" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL,
    "assessed" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "cursor" TEXT,
    "as_of_position" BIGINT NOT NULL,
    "assessor_name" TEXT NOT NULL,
    "assessor_version" TEXT NOT NULL,
    "error" TEXT,
    "version" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "history_analysis_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "history_analysis_leases" (
    "job_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "history_analysis_leases_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE INDEX "history_entries_created_at_id_idx" ON "history_entries"("created_at", "id");

-- CreateIndex
CREATE INDEX "history_entries_model_created_at_idx" ON "history_entries"("model", "created_at");

-- CreateIndex
CREATE INDEX "history_entries_subject_type_subject_id_idx" ON "history_entries"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "history_assessments_entry_id_position_idx" ON "history_assessments"("entry_id", "position");

-- CreateIndex
CREATE INDEX "history_assessments_job_id_idx" ON "history_assessments"("job_id");

-- CreateIndex
CREATE INDEX "history_comparisons_left_entry_id_idx" ON "history_comparisons"("left_entry_id");

-- CreateIndex
CREATE INDEX "history_comparisons_right_entry_id_idx" ON "history_comparisons"("right_entry_id");

-- CreateIndex
CREATE INDEX "history_comparisons_compared_at_id_idx" ON "history_comparisons"("compared_at", "id");

-- CreateIndex
CREATE INDEX "history_analysis_jobs_status_started_at_idx" ON "history_analysis_jobs"("status", "started_at");
