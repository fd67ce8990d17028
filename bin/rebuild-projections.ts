// `npm run projections:rebuild [-- --dry-run] [--data-dir DIR]`: replays every event into fresh read
// models, compares them with the inline ones and (unless --dry-run) replaces those that differ.
// Exit code 0 when the inline read models were equal to the rebuilt ones, 1 when rows differed,
// 2 when the rebuild failed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { allProjections } from '../subgraphs/projections.js';
import { openDatabase, type Database } from '../subgraphs/shared/database/connect.js';
import { rebuildProjections, type RebuildProgress } from '../subgraphs/shared/projections/rebuild.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'page-size': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run projections:rebuild -- [--dry-run] [--data-dir DIR] [--page-size N]

Replays every event of the store through the registered projections (${allProjections.map((projection) => projection.name).join(', ')}),
compares the result with the inline read models and replaces the tables that differ.
  --dry-run      compare only; leave the inline read models as they are
  --data-dir     the data folder of npm start when DATABASE_URL is not set (default .data; PGlite in its pglite/)
  --page-size    events read per round trip (default 5000)
Exit code: 0 equal, 1 rows differed, 2 failure.`);
  process.exit(0);
}

const databaseUrl = process.env.DATABASE_URL;
const dataDir = path.join(values['data-dir'] ?? process.env.TRIBUTARY_DATA_DIR ?? '.data', 'pglite');
const dryRun = values['dry-run'];
const pageSize = values['page-size'] ? Number(values['page-size']) : undefined;
if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) {
  console.error('--page-size must be a positive integer');
  process.exit(2);
}

const number = (value: number) => value.toLocaleString('en-US');

/** A progress bar on a terminal; a line every few seconds (and at the end) otherwise. */
function progressReporter(): { update(progress: RebuildProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: '  replaying {bar} {percentage}% | {value}/{total} events | {rate} events/s | eta {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = performance.now();
    let running = false;
    return {
      update({ eventsRead, eventsTotal }) {
        const rate = number(Math.round(eventsRead / Math.max((performance.now() - started) / 1000, 0.001)));
        if (!running) {
          bar.start(eventsTotal, eventsRead, { rate });
          running = true;
        } else {
          bar.setTotal(eventsTotal);
          bar.update(eventsRead, { rate });
        }
      },
      stop() {
        if (running) bar.stop();
      },
    };
  }
  let lastLine = 0;
  let last: RebuildProgress | undefined;
  let printed: RebuildProgress | undefined;
  const line = (progress: RebuildProgress) => {
    const { eventsRead, eventsTotal } = progress;
    const percent = eventsTotal === 0 ? 100 : Math.floor((eventsRead / eventsTotal) * 100);
    console.log(`  replayed ${number(eventsRead)}/${number(eventsTotal)} events (${percent}%)`);
    lastLine = performance.now();
    printed = progress;
  };
  return {
    update(progress) {
      last = progress;
      if (performance.now() - lastLine >= 2000) line(progress);
    },
    stop() {
      if (last && last !== printed) line(last);
    },
  };
}

console.log(
  `Rebuilding ${allProjections.length} projection(s) from ${databaseUrl ? 'PostgreSQL' : `PGlite at ${dataDir}`}` +
    `${dryRun ? ' (dry run: the inline read models are left unchanged)' : ''}`,
);
let database: Database;
try {
  database = await openDatabase(databaseUrl ? { url: databaseUrl, maxConnections: 2 } : { dataDir });
} catch (error) {
  console.error(`✖ cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const progress = progressReporter();
let exitCode: number;
try {
  const report = await rebuildProjections(database.sql, allProjections, {
    replace: !dryRun,
    onProgress: (step) => progress.update(step),
    ...(pageSize ? { pageSize } : {}),
  });
  progress.stop();
  const rate = report.seconds > 0 ? Math.round(report.events / report.seconds) : report.events;
  console.log(`  events replayed  ${number(report.events)} in ${report.seconds.toFixed(2)} s (${number(rate)} events/s)`);
  console.log(`  rows rebuilt     ${number(report.rows)}`);
  const width = Math.max(...Object.keys(report.differences).map((table) => table.length));
  console.log('  differences per table (rows only in the inline or only in the rebuilt table):');
  for (const [table, count] of Object.entries(report.differences)) {
    console.log(`    ${table.padEnd(width)}  ${count === 0 ? '0' : `${number(count)}  ✖`}`);
  }
  const differing = Object.values(report.differences).reduce((sum, count) => sum + count, 0);
  if (report.equal) {
    console.log('✔ rebuilt read models equal the inline ones');
    exitCode = 0;
  } else {
    console.log(
      dryRun
        ? `✖ ${number(differing)} rows differed (dry run: the inline read models were left unchanged)`
        : `✖ ${number(differing)} rows differed (now replaced by the rebuilt ones)`,
    );
    exitCode = 1;
  }
} catch (error) {
  progress.stop();
  console.error(`✖ rebuild failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  await database.close();
}
process.exit(exitCode);
