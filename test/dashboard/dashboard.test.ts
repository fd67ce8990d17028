/**
 * The live dashboard in Chromium against the real product: seeded data on every page, a change
 * made through the API shown within a second, a dropped WebSocket resumed without losing or
 * doubling anything, commands refused with their error codes, and nothing fetched from elsewhere.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type SeedReport } from '../../bin/seed.js';
import { launchChromium } from '../support/chromium.js';
import { startDashboardStack, type DashboardStack } from '../support/dashboard-stack.js';
import { uid } from '../support/waiting.js';

const HOOK_TIMEOUT_MS = 240_000;
const OUTPUT = 'test-output';

let stack: DashboardStack;
let seeded: SeedReport;
let browser: Browser;

beforeAll(async () => {
  stack = await startDashboardStack();
  seeded = await seedDemo({ url: stack.router.url, token: stack.token(), impressions: 600, batch: 200, analysisTimeoutMs: 60_000 });
  browser = await launchChromium();
  await mkdir(OUTPUT, { recursive: true });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
}, HOOK_TIMEOUT_MS);

/** The page, what it requested, what it logged as errors, and its WebSockets (which the test can drop). */
interface OpenedDashboard {
  readonly page: Page;
  /** Drops every open WebSocket and refuses new ones until {@link reconnect}. */
  drop(): Promise<void>;
  reconnect(): void;
}

let context: BrowserContext | undefined;
let requested: string[] = [];
let consoleErrors: string[] = [];

async function openDashboard(hash = ''): Promise<OpenedDashboard> {
  requested = [];
  consoleErrors = [];
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, userAgent: 'tributary-dashboard-test' });
  const page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  // Every WebSocket goes through this route, so the test can cut it like a network failure.
  let online = true;
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/.*/, (socket) => {
    requested.push(socket.url());
    if (!online) {
      void socket.close({ code: 1012, reason: 'network down' });
      return;
    }
    socket.connectToServer();
    open.add(socket);
  });
  const response = await page.goto(`${stack.origin}/${hash}`);
  expect(response?.status()).toBe(200);
  return {
    page,
    drop: async () => {
      online = false;
      for (const socket of open) await socket.close({ code: 1012, reason: 'network down' });
      open.clear();
    },
    reconnect: () => {
      online = true;
    },
  };
}

interface ServerStats {
  impressions: number;
  conversions: number;
  position: string;
}

async function serverStats(campaignId: string): Promise<ServerStats> {
  const data = await stack.request<{ campaign: { stats: ServerStats } }>(
    `query($id: ID!) { campaign(id: $id) { stats { impressions conversions position } } }`,
    { id: campaignId },
  );
  return data.campaign.stats;
}

const number = (text: string) => Number(text.replace(/,/g, ''));

/** The part of a page's DOM that functions run in the page use. */
interface PageDocument {
  readonly document: { querySelector(selector: string): { readonly textContent: string | null } | null };
}

/** Opens the campaigns page on one campaign, waits until its live data flows. */
async function openCampaign(campaignId: string): Promise<OpenedDashboard> {
  const opened = await openDashboard();
  await opened.page.getByTestId(`campaign-row-${campaignId}`).getByRole('button').click();
  await expect.poll(() => opened.page.getByTestId('connection').getAttribute('data-status'), { timeout: 20_000 }).toBe('live');
  return opened;
}

/** What the seed's data looks like through the API: enough to tell whether a rerun changed it. */
async function seededState() {
  return stack.request<{
    campaigns: {
      edges: Array<{
        node: {
          id: string;
          status: string;
          startsAt: string;
          endsAt: string | null;
          stats: { impressions: number; conversions: number };
          bestCreative: { id: string; latestAssessment: { score: number } | null } | null;
        };
      }>;
    };
    entries: { edges: Array<{ node: { id: string; latestVersion: number } }> };
    comparisons: { edges: Array<{ node: { id: string } }> };
    allModelAnalytics: Array<{ model: string; assessments: number }>;
    analysisJobs: { edges: Array<{ node: { id: string; status: string; processed: number; total: number } }> };
    lowStock: { edges: Array<{ node: { id: string } }> };
    reservation: { status: string } | null;
  }>(`{
    campaigns(first: 50) { edges { node { id status startsAt endsAt stats { impressions conversions } bestCreative { id latestAssessment { score } } } } }
    entries(first: 100) { edges { node { id latestVersion } } }
    comparisons(first: 50) { edges { node { id } } }
    allModelAnalytics { model assessments }
    analysisJobs(first: 10) { edges { node { id status processed total } } }
    lowStock(first: 50) { edges { node { id } } }
    reservation(id: "seed-reservation-1") { status }
  }`);
}

describe('the demo seed', () => {
  it('fills the three subgraphs: campaigns running now, assessed creatives, comparisons, an analysis job, low stock', async () => {
    const state = await seededState();
    const now = Date.now();
    const campaigns = state.campaigns.edges.map((edge) => edge.node);
    expect(campaigns).toHaveLength(seeded.tracking.campaigns);
    for (const campaign of campaigns) {
      expect(Date.parse(campaign.startsAt)).toBeLessThan(now);
      expect(Date.parse(campaign.endsAt ?? '')).toBeGreaterThan(now);
      expect(campaign.bestCreative?.latestAssessment?.score, campaign.id).toBeGreaterThan(0);
      expect(campaign.stats.impressions, campaign.id).toBeGreaterThan(0);
    }
    expect(campaigns.map((campaign) => campaign.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ENDED', 'PAUSED']);
    expect(state.entries.edges).toHaveLength(seeded.history!.entries);
    expect(state.entries.edges.filter((edge) => edge.node.latestVersion === 2)).toHaveLength(seeded.tracking.campaigns);
    expect(state.comparisons.edges).toHaveLength(seeded.history!.comparisons);
    expect(state.allModelAnalytics.reduce((sum, model) => sum + model.assessments, 0)).toBeGreaterThanOrEqual(seeded.history!.assessments);
    expect(state.analysisJobs.edges.map((edge) => edge.node)).toEqual([
      { id: 'seed-analysis-1', status: 'COMPLETED', processed: seeded.history!.analysisJob.total, total: seeded.history!.analysisJob.total },
    ]);
    expect(state.lowStock.edges).toHaveLength(seeded.inventory!.lowStockLevels);
    expect(state.reservation?.status).toBe('PENDING');
  });

  it('changes nothing when run again', async () => {
    const before = await seededState();
    const again = await seedDemo({ url: stack.router.url, token: stack.token(), impressions: 600, batch: 200, analysisTimeoutMs: 60_000 });
    expect(again.tracking).toMatchObject({ impressions: 0, conversions: 0 });
    expect(again.tracking.duplicates).toBeGreaterThan(0);
    expect(again.tracking.skipped).toHaveLength(2);
    expect(await seededState()).toEqual(before);
  });
});

describe('the live dashboard', () => {
  afterEach(async () => {
    await context?.close();
    context = undefined;
    // Everything the page asked for stayed on this machine: no CDN, no fonts, no telemetry.
    const elsewhere = requested.filter((url) => !url.startsWith('data:') && new URL(url).hostname !== '127.0.0.1');
    expect(elsewhere).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the seeded campaigns, stock and quality data on its three pages', async () => {
    expect(seeded.history?.analysisJob.status).toBe('COMPLETED');
    const { page } = await openDashboard();
    const rows = page.getByTestId('campaign-list').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(seeded.tracking.campaigns);
    await expect.poll(() => page.getByTestId('campaign-row-seed-campaign-4').innerText()).toContain('ENDED');
    await expect.poll(() => page.getByTestId('campaign-row-seed-campaign-6').innerText()).toContain('PAUSED');

    await page.getByTestId('campaign-row-seed-campaign-1').getByRole('button').click();
    const stats = await serverStats('seed-campaign-1');
    expect(stats.impressions).toBeGreaterThan(0);
    await expect.poll(async () => number(await page.getByTestId('stat-impressions').innerText()), { timeout: 10_000 }).toBe(stats.impressions);
    expect(number(await page.getByTestId('stat-conversions').innerText())).toBe(stats.conversions);
    await expect.poll(() => page.getByTestId('best-creative').innerText()).toMatch(/score \d\.\d\d/);
    await page.getByTestId('hourly-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('influencer-table').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${OUTPUT}/dashboard-campaigns.png`, fullPage: true });

    await page.getByRole('link', { name: 'Inventory' }).click();
    const level = await stack.request<{ stockLevel: { available: number } }>(
      `{ stockLevel(productId: "seed-product-1", storeId: "seed-store-1") { available } }`,
    );
    const cell = page.getByTestId('stock-seed-product-1:seed-store-1');
    await expect.poll(async () => number((await cell.locator('strong').innerText()).trim()), { timeout: 10_000 }).toBe(level.stockLevel.available);
    expect(await page.getByTestId('stock-table').locator('tbody tr').count()).toBe(seeded.inventory?.products);
    await page.screenshot({ path: `${OUTPUT}/dashboard-inventory.png`, fullPage: true });

    await page.getByRole('link', { name: 'History & quality' }).click();
    const entries = page.getByTestId('entries-table').locator('tbody tr');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(seeded.history?.entries);
    await expect.poll(() => page.getByTestId('entry-seed-creative-1-1').getByTestId('entry-score').innerText()).toMatch(/^\d\.\d\d$/);
    const job = page.getByTestId('job-seed-analysis-1');
    await expect.poll(() => job.innerText()).toContain('COMPLETED');
    expect(await job.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.getByTestId('quality-chart').locator('.recharts-dot').first().waitFor();
    await page.screenshot({ path: `${OUTPUT}/dashboard-quality.png`, fullPage: true });
  });

  it('shows a change made through the API within a second', async () => {
    const { page } = await openCampaign('seed-campaign-1');
    const register = () =>
      stack.request(`mutation($input: RegisterImpressionInput!) { registerImpression(input: $input) { replayed } }`, {
        input: { campaignId: 'seed-campaign-1', id: uid('api-imp'), influencerId: 'seed-influencer-1' },
      });
    /** Resolves once the page shows `impressions`, checked in the page on every frame. */
    const shown = (impressions: number, timeout: number) =>
      page.waitForFunction(
        // Runs in the page, whose DOM the test's TypeScript (no DOM library) does not describe:
        // `globalThis` is cast to the one part of it used here.
        (text) => (globalThis as unknown as PageDocument).document.querySelector('[data-testid="stat-impressions"]')?.textContent === text,
        impressions.toLocaleString('en-US'),
        { timeout, polling: 'raf' },
      );
    // A first change shows that the page's streams are established (they were opened just now).
    await register();
    await shown((await serverStats('seed-campaign-1')).impressions, 10_000);

    const before = await serverStats('seed-campaign-1');
    await register();
    const committed = performance.now();
    await shown(before.impressions + 1, 1000);
    expect(performance.now() - committed).toBeLessThan(1000);
  });

  it("resumes after a dropped WebSocket with exactly the server's counts, nothing lost, nothing twice", async () => {
    const opened = await openCampaign('seed-campaign-1');
    const { page } = opened;
    const shownImpressions = async () => number(await page.getByTestId('stat-impressions').innerText());
    await expect.poll(shownImpressions, { timeout: 10_000 }).toBe((await serverStats('seed-campaign-1')).impressions);

    await opened.drop();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-status'), { timeout: 10_000 }).toBe('reconnecting');
    // While the page is cut off: impressions, a batch and conversions it must all account for.
    const conversionIds = [uid('drop-conv'), uid('drop-conv')];
    await stack.request(`mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted } }`, {
      input: { campaignId: 'seed-campaign-1', impressions: Array.from({ length: 7 }, () => ({ id: uid('drop-imp'), influencerId: 'seed-influencer-2' })) },
    });
    for (const id of conversionIds) {
      await stack.request(`mutation($input: RegisterConversionInput!) { registerConversion(input: $input) { replayed } }`, {
        input: { campaignId: 'seed-campaign-1', id, influencerId: 'seed-influencer-2', value: { amount: '12.50', currency: 'EUR' }, quantity: 1 },
      });
    }
    const server = await serverStats('seed-campaign-1');
    expect(await page.getByTestId('connection').getAttribute('data-status')).toBe('reconnecting');

    opened.reconnect();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-status'), { timeout: 15_000 }).toBe('live');
    await expect.poll(shownImpressions, { timeout: 10_000 }).toBe(server.impressions);
    await expect.poll(async () => number(await page.getByTestId('stat-conversions').innerText()), { timeout: 10_000 }).toBe(server.conversions);
    const feedIds = () => page.getByTestId('conversion-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
    await expect.poll(async () => (await feedIds()).filter((id) => conversionIds.includes(id ?? '')).length, { timeout: 10_000 }).toBe(2);
    const ids = await feedIds();
    expect(new Set(ids).size).toBe(ids.length);
    // A later change still arrives on the resumed stream, and counts once.
    await stack.request(`mutation($input: RegisterImpressionInput!) { registerImpression(input: $input) { replayed } }`, {
      input: { campaignId: 'seed-campaign-1', id: uid('after-imp'), influencerId: 'seed-influencer-1' },
    });
    await expect.poll(shownImpressions, { timeout: 5_000 }).toBe(server.impressions + 1);
    expect((await serverStats('seed-campaign-1')).impressions).toBe(server.impressions + 1);
    await page.screenshot({ path: `${OUTPUT}/dashboard-resumed.png`, fullPage: true });
  });

  it('sends commands with the development token and shows a refused one with its error code', async () => {
    const { page } = await openCampaign('seed-campaign-1');
    const form = page.getByTestId('form-register-conversion');
    await form.getByLabel('Amount').fill('12.345');
    await form.getByRole('button', { name: 'Register conversion' }).click();
    await expect.poll(() => form.getByRole('alert').innerText(), { timeout: 10_000 }).toContain('BAD_USER_INPUT');

    const before = await serverStats('seed-campaign-1');
    await page.getByTestId('form-register-impression').getByRole('button', { name: 'Register' }).click();
    await expect.poll(async () => (await serverStats('seed-campaign-1')).impressions, { timeout: 10_000 }).toBe(before.impressions + 1);
    await expect.poll(async () => number(await page.getByTestId('stat-impressions').innerText()), { timeout: 5_000 }).toBe(before.impressions + 1);
  });

  it('says a token is needed, instead of offering to send commands, when the page has none', async () => {
    const token = stack.token();
    stack.setToken(undefined);
    try {
      const { page } = await openDashboard('#inventory');
      const form = page.getByTestId('form-add-stock');
      await expect.poll(() => form.innerText(), { timeout: 10_000 }).toContain('A token is needed');
      expect(await form.getByRole('button').count()).toBe(0);
      expect(await page.locator('.token-state').innerText()).toBe('read only');
      await page.screenshot({ path: `${OUTPUT}/dashboard-no-token.png` });
    } finally {
      stack.setToken(token);
    }
  });
});
