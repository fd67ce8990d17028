-- CreateTable
CREATE TABLE "campaigns" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "budget_minor" BIGINT,
    "budget_currency" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "product_id" TEXT,
    "version" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "influencers" (
    "id" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "influencers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "impressions" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "influencer_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "impressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversions" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "influencer_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "impression_id" TEXT,
    "product_id" TEXT,
    "store_id" TEXT,
    "quantity" INTEGER,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "conversions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracking_counters" (
    "scope" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "impressions" BIGINT NOT NULL,
    "conversions" BIGINT NOT NULL,
    "units" BIGINT NOT NULL,
    "position" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tracking_counters_pkey" PRIMARY KEY ("scope","subject_id","dimension","key")
);

-- CreateTable
CREATE TABLE "tracking_revenue" (
    "scope" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "tracking_revenue_pkey" PRIMARY KEY ("scope","subject_id","dimension","key","currency")
);

-- CreateIndex
CREATE INDEX "campaigns_product_id_idx" ON "campaigns"("product_id");

-- CreateIndex
CREATE INDEX "campaigns_created_at_id_idx" ON "campaigns"("created_at", "id");

-- CreateIndex
CREATE INDEX "influencers_created_at_id_idx" ON "influencers"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "influencers_platform_handle_key" ON "influencers"("platform", "handle");

-- CreateIndex
CREATE INDEX "impressions_campaign_id_occurred_at_id_idx" ON "impressions"("campaign_id", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "impressions_influencer_id_occurred_at_id_idx" ON "impressions"("influencer_id", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "conversions_campaign_id_occurred_at_id_idx" ON "conversions"("campaign_id", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "conversions_influencer_id_occurred_at_id_idx" ON "conversions"("influencer_id", "occurred_at", "id");
