// `npm run seed`: a realistic, deterministic demo through the public GraphQL API: products, stores
// and stock (inventory), influencers, campaigns and their activity (tracking), creatives, product
// descriptions, assessments, comparisons and an analysis job (history). Campaigns run from 30 days
// before the first run to 30 days after it, and activity falls in the 14 days before now. Re-running
// it changes nothing: every command carries an idempotency key or a client id.
//
//   npm run seed                                              # through the router on :4000
//   npm run seed -- --tracking-url http://127.0.0.1:4003/graphql --inventory-url http://127.0.0.1:4002/graphql
//   npm run seed -- --impressions 200000 --seed 7
//   TRIBUTARY_TOKEN=<jwt> npm run seed                        # else a token of the development key in .data
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { campaignId, seedDemo, seedToken, type SeedReport } from './seed/seed-demo.js';
import type { SeedProgress } from './seed/progress.js';

export { seedDemo, seedToken, type SeedOptions, type SeedReport } from './seed/seed-demo.js';

/** A progress bar per phase on the terminal. */
function terminalProgress(): SeedProgress {
  return {
    phase(name, total, label) {
      const started = performance.now();
      let done = 0;
      const bar = new cliProgress.SingleBar(
        { format: `${name.padEnd(9)} |{bar}| {percentage}% | {value}/{total} ${label} | {rate}/s | {detail}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { rate: 0, detail: '' });
      return {
        advance(count, detail = '') {
          done += count;
          bar.update(Math.min(done, total), { rate: Math.round(done / Math.max(0.001, (performance.now() - started) / 1000)), detail });
        },
        finish() {
          bar.update(total);
          bar.stop();
        },
      };
    },
  };
}

function summary(report: SeedReport, seconds: number): string[] {
  const number = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  if (report.inventory) {
    const { products, stores, stockLevels, lowStockLevels, reservations } = report.inventory;
    lines.push(`inventory: ${products} products, ${stores} stores, ${stockLevels} stock levels (${lowStockLevels} low), ${reservations} reservations`);
  }
  const { tracking, history } = report;
  lines.push(
    `tracking: ${tracking.influencers} influencers, ${tracking.campaigns} campaigns; ${number(tracking.impressions)} new impressions, ` +
      `${number(tracking.conversions)} new conversions, ${number(tracking.duplicates)} already recorded`,
  );
  if (tracking.skipped.length > 0) lines.push(`  no new activity (not ACTIVE): ${tracking.skipped.join(', ')}`);
  if (history) {
    const job = history.analysisJob;
    lines.push(
      `history: ${history.entries} entries, ${history.assessments} assessments, ${history.comparisons} comparisons; ` +
        `analysis job ${job.id} ${job.status} (${job.processed}/${job.total})`,
    );
  }
  for (const line of report.skipped) lines.push(`skipped ${line}`);
  lines.push(`done in ${seconds.toFixed(1)} s`);
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      'inventory-url': { type: 'string' },
      'tracking-url': { type: 'string' },
      'history-url': { type: 'string' },
      impressions: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '2026' },
      batch: { type: 'string', default: '1000' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run seed -- [--url URL] [--inventory-url URL] [--tracking-url URL] [--history-url URL] [--impressions N] [--seed N] [--batch N]');
    return;
  }
  const started = performance.now();
  const seed = Number(values.seed);
  console.log(`seeding ${values.url} with --seed ${seed}`);
  const report = await seedDemo({
    url: values.url,
    ...(values['inventory-url'] ? { inventoryUrl: values['inventory-url'] } : {}),
    ...(values['tracking-url'] ? { trackingUrl: values['tracking-url'] } : {}),
    ...(values['history-url'] ? { historyUrl: values['history-url'] } : {}),
    token: await seedToken(),
    impressions: Number(values.impressions),
    batch: Number(values.batch),
    seed,
    progress: terminalProgress(),
  });
  console.log(summary(report, (performance.now() - started) / 1000).join('\n'));
  console.log(`\ntry: query { campaign(id: "${campaignId(0)}") { name status stats { impressions conversions } bestCreative { content } } }`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
