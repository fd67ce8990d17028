/** Result and variable shapes of the dashboard's operations (see schema/operations/dashboard-*.graphql). */

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export interface Edges<Node> {
  readonly edges: ReadonlyArray<{ readonly node: Node }>;
}

// ── campaigns ────────────────────────────────────────────────────────────────────────────────

export interface CampaignCounters {
  readonly __typename?: 'CampaignStats';
  readonly id: string;
  readonly position: string;
  readonly impressions: number;
  readonly conversions: number;
  readonly conversionRate: number;
  readonly unitsSold: number;
  readonly revenue: readonly Money[];
}

export interface HourlyBucket {
  readonly id: string;
  readonly hour: string;
  readonly impressions: number;
  readonly conversions: number;
}

export interface InfluencerBreakdown {
  readonly id: string;
  readonly influencerId: string;
  readonly influencer: { readonly id: string; readonly handle: string; readonly platform: string };
  readonly impressions: number;
  readonly conversions: number;
  readonly conversionRate: number;
  readonly revenue: readonly Money[];
}

export interface CampaignStatsDetail extends CampaignCounters {
  readonly hourly: readonly HourlyBucket[];
  readonly byInfluencer: readonly InfluencerBreakdown[];
}

export interface ConversionItem {
  readonly id: string;
  readonly position: string;
  readonly value: Money;
  readonly quantity: number | null;
  readonly occurredAt: string;
  readonly influencer: { readonly id: string; readonly handle: string };
  readonly store: { readonly id: string; readonly name: string } | null;
}

export interface CampaignSummary {
  readonly id: string;
  readonly name: string;
  readonly status: 'ACTIVE' | 'PAUSED' | 'ENDED';
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly budget: Money | null;
  readonly product: { readonly id: string; readonly name: string } | null;
  readonly stats: CampaignCounters;
}

export interface Influencer {
  readonly id: string;
  readonly handle: string;
  readonly platform: string;
}

export interface CampaignsData {
  readonly campaigns: Edges<CampaignSummary>;
  readonly influencers: Edges<Influencer>;
}

export interface CampaignData {
  readonly campaign: {
    readonly id: string;
    readonly name: string;
    readonly status: CampaignSummary['status'];
    readonly startsAt: string;
    readonly endsAt: string | null;
    readonly product: { readonly id: string; readonly name: string; readonly totalAvailable: number } | null;
    readonly stats: CampaignStatsDetail;
    readonly conversions: Edges<ConversionItem>;
    readonly bestCreative: {
      readonly id: string;
      readonly model: string;
      readonly content: string;
      readonly latestAssessment: { readonly id: string; readonly score: number } | null;
    } | null;
  } | null;
}

export interface CampaignStatsLiveData {
  readonly campaignStatsUpdated: CampaignStatsDetail;
}

export interface ConversionsLiveData {
  readonly conversionRegistered: ConversionItem;
}

// ── inventory ────────────────────────────────────────────────────────────────────────────────

export interface Reservation {
  readonly id: string;
  readonly quantity: number;
  readonly customerId: string;
  readonly status: string;
  readonly expiresAt: string;
}

export interface StockLevel {
  readonly id: string;
  readonly productId: string;
  readonly storeId: string;
  readonly total: number;
  readonly reserved: number;
  readonly available: number;
  readonly isLow: boolean;
  readonly lowStockThreshold: number;
  readonly version: number;
  readonly position: string;
  readonly store: { readonly id: string; readonly name: string } | null;
  readonly reservations: readonly Reservation[];
}

export interface ProductStock {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly totalAvailable: number;
  readonly stockLevels: readonly StockLevel[];
}

export type LowStockLevel = StockLevel & { readonly product: { readonly id: string; readonly name: string } | null };

export interface InventoryData {
  readonly products: Edges<ProductStock>;
  readonly stores: Edges<{ readonly id: string; readonly name: string; readonly location: string }>;
  readonly lowStock: Edges<LowStockLevel>;
}

export interface StockLevelLiveData {
  readonly stockLevelChanged: StockLevel;
}

export interface LowStockLiveData {
  readonly lowStockAlerts: LowStockLevel;
}

// ── history / quality ────────────────────────────────────────────────────────────────────────

export interface Entry {
  readonly id: string;
  readonly model: string;
  readonly content: string;
  readonly version: number;
  readonly latestVersion: number;
  readonly subjectType: 'CAMPAIGN' | 'PRODUCT' | null;
  readonly campaign: { readonly id: string; readonly name: string } | null;
  readonly product: { readonly id: string; readonly name: string } | null;
  readonly latestAssessment: { readonly id: string; readonly score: number; readonly entryVersion: number; readonly position: string } | null;
}

export interface AnalysisJob {
  readonly id: string;
  readonly status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  readonly total: number;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  readonly progress: number;
  readonly position: string;
  readonly startedAt: string;
}

export interface ModelAnalytics {
  readonly id: string;
  readonly model: string;
  readonly entries: number;
  readonly assessedEntries: number;
  readonly assessments: number;
  readonly meanQuality: number | null;
  readonly p50Quality: number | null;
  readonly p90Quality: number | null;
  readonly trend: ReadonlyArray<{ readonly id: string; readonly day: string; readonly assessments: number; readonly meanQuality: number }>;
}

export interface QualityData {
  readonly allModelAnalytics: readonly ModelAnalytics[];
  readonly entries: Edges<Entry>;
  readonly analysisJobs: Edges<AnalysisJob>;
}

export interface AnalysisProgressLiveData {
  readonly analysisProgress: { readonly id: string; readonly position: string; readonly job: AnalysisJob | null };
}

export interface QualityAssessedLiveData {
  readonly qualityAssessed: { readonly id: string; readonly position: string; readonly score: number; readonly entry: Entry | null };
}
