/**
 * The demo world the seed creates: products, stores, influencers, campaigns and their creatives,
 * with deterministic ids so a second run finds what the first one made.
 */

export const PRODUCTS = [
  ['Trail running shoes', 'Lightweight shoes with a rock plate, 8 mm drop.'],
  ['Insulated bottle 750 ml', 'Keeps drinks cold for 24 hours, hot for 12.'],
  ['Merino base layer', '200 g/m² merino wool, odour resistant.'],
  ['Ultralight tent', 'Two-person tent, 1.1 kg, freestanding.'],
  ['Headlamp 400 lm', 'Rechargeable, red light mode, IPX7.'],
  ['Packable down jacket', '800-fill down, packs into its own pocket.'],
  ['Trekking poles', 'Carbon, foldable, cork grips.'],
  ['Camp stove', 'Canister stove boiling a litre in 3 minutes.'],
] as const;

export const STORES = [
  ['Lyon Part-Dieu', 'Lyon, FR'],
  ['Berlin Mitte', 'Berlin, DE'],
  ['Online', 'Web shop'],
] as const;

export const HANDLES = [
  'alpine.anna',
  'trail_tom',
  'summitsara',
  'gearguru',
  'nomad.nina',
  'peakpaul',
  'wildwes',
  'campfire.cleo',
  'ridge_ravi',
  'boulder.ben',
  'forest.fay',
  'glacier_gus',
] as const;
export const PLATFORMS = [
  'INSTAGRAM',
  'TIKTOK',
  'YOUTUBE',
  'TWITCH',
  'X',
  'INSTAGRAM',
  'TIKTOK',
  'YOUTUBE',
  'OTHER',
  'INSTAGRAM',
  'TIKTOK',
  'YOUTUBE',
] as const;

/** Campaigns; `weight` is their share of the activity. */
export const CAMPAIGNS = [
  { name: 'Autumn trail series', product: 0, budget: '25000.00', currency: 'EUR', weight: 5 },
  { name: 'Hydration heroes', product: 1, budget: '8000.00', currency: 'EUR', weight: 3 },
  { name: 'Layer up for winter', product: 2, budget: '12000.00', currency: 'EUR', weight: 4 },
  { name: 'Night hikes', product: 4, budget: '6000.00', currency: 'USD', weight: 2 },
  { name: 'Pack light, go far', product: 3, budget: '15000.00', currency: 'USD', weight: 3 },
  { name: 'Warm camp kitchen', product: 7, budget: '4000.00', currency: 'EUR', weight: 1 },
] as const;

/** Index of the campaign the seed pauses, and of the one it ends. */
export const PAUSED_CAMPAIGN = 5;
export const ENDED_CAMPAIGN = 3;

/** The models whose outputs the history holds. */
export const MODELS = ['gpt-4o', 'claude-3-5-sonnet', 'llama-3.1-70b'] as const;

export const productId = (index: number) => `seed-product-${index + 1}`;
export const storeId = (index: number) => `seed-store-${index + 1}`;
export const influencerId = (index: number) => `seed-influencer-${index + 1}`;
export const campaignId = (index: number) => `seed-campaign-${index + 1}`;
export const creativeId = (campaign: number, model: number) => `seed-creative-${campaign + 1}-${model + 1}`;
export const descriptionId = (product: number) => `seed-description-${product + 1}`;
export const comparisonId = (campaign: number) => `seed-comparison-${campaign + 1}`;
export const ANALYSIS_JOB_ID = 'seed-analysis-1';

/** mulberry32: every run with the same seed produces the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The sequence of one item, from the seed and the item's place alone (not from how many came before). */
export function itemRandom(seed: number, ...parts: number[]): () => number {
  let hash = seed >>> 0;
  for (const part of parts) hash = Math.imul(hash ^ part, 0x9e3779b1) >>> 0;
  return prng(hash);
}

/** Picks by weight (weights need not sum to 1). */
export function weighted<T>(items: readonly T[], weights: readonly number[], next: () => number): T {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = next() * total;
  for (let index = 0; index < items.length; index += 1) {
    roll -= weights[index]!;
    if (roll <= 0) return items[index]!;
  }
  return items[items.length - 1]!;
}

/** Openings, claims and calls to action the creatives are written from; models differ in style. */
const STYLES = [
  {
    open: (name: string) => `Meet the ${name.toLowerCase()} that keeps up with you.`,
    body: (detail: string) => `${detail} Tested on long days in the mountains, it stays comfortable from the first step to the last.`,
    close: 'Find your size in store or online today.',
  },
  {
    open: (name: string) => `${name}: built for people who would rather be outside.`,
    body: (detail: string) => `${detail} Every gram was questioned, every seam checked, so you can forget your gear and enjoy the view.`,
    close: 'Order now and get it before the weekend.',
  },
  {
    open: (name: string) => `Best ${name.toLowerCase()} ever!!! Amazing!!!`,
    body: (detail: string) => `${detail} Buy buy buy, it is great great great and everyone loves it.`,
    close: 'Click here.',
  },
] as const;

/** The text a model wrote for a campaign creative about a product. */
export function creativeText(product: number, model: number): string {
  const [name, detail] = PRODUCTS[product]!;
  const style = STYLES[model % STYLES.length]!;
  return `${style.open(name)} ${style.body(detail)} ${style.close}`;
}

/** The revised text of a creative (its version 2). */
export function revisedCreativeText(product: number, model: number): string {
  const [name] = PRODUCTS[product]!;
  return `${creativeText(product, model)} New this season: the ${name.toLowerCase()} comes with a two-year warranty and free repairs.`;
}

/** A product description a model generated. */
export function descriptionText(product: number): string {
  const [name, detail] = PRODUCTS[product]!;
  return `The ${name.toLowerCase()} is made for demanding trips. ${detail} It is easy to care for and built to last for many seasons.`;
}
