// `npm start`: runs the subgraphs (and the router) in one process, or only some with --only.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startSubgraphs, type RunningSubgraphs } from '../subgraphs/start-subgraphs.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const only = values.only?.flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const dataDir = values['data-dir'] ?? process.env.TRIBUTARY_DATA_DIR ?? '.data/pglite';
const subgraphNames = only?.filter((name) => name !== 'router');

let subgraphs: RunningSubgraphs | undefined;
if (!only || (subgraphNames && subgraphNames.length > 0)) {
  if (!databaseUrl && only) {
    logger.warn('running a single piece on embedded PGlite: other processes cannot share it; set DATABASE_URL and REDIS_URL');
  }
  subgraphs = await startSubgraphs({
    logger,
    databaseUrl,
    dataDir: databaseUrl ? undefined : dataDir,
    redisUrl,
    ...(subgraphNames && subgraphNames.length > 0 ? { only: subgraphNames } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  for (const subgraph of subgraphs.subgraphs) console.log(`  ${subgraph.name.padEnd(10)} ${subgraph.url}`);
  console.log(`  storage    ${databaseUrl ? 'PostgreSQL' : `PGlite at ${dataDir}`}; bus ${redisUrl ? 'Redis' : 'in-process'}`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: draining connections, closing database and bus');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await subgraphs?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
