/**
 * Per-operation cost of the router's protections, against parse + validate of the same operation
 * (the work every request already pays) measured in the same run: operation limits (text size and
 * tokens, then the document's shape), cost estimation, and one rate-limit charge in memory and in
 * Redis. Every operation under schema/operations/ is measured on its own, against the composed
 * supergraph.
 *
 *   npx tsx bench/protection-overhead.ts
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/protection-overhead.ts
 *
 * Env: BENCH_ROUNDS (default 7), BENCH_MIN_MS (time per measurement, default 40). Redis is the
 * one at REDIS_URL, else 127.0.0.1:6379; its row is left out when none answers.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, print, separateOperations, validate, type DocumentNode } from 'graphql';
import { costSchemaFromSupergraphSdl, estimateCost } from '../router/demand-control/index.js';
import { checkOperationLimits, checkOperationText } from '../router/limits/index.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../router/rate-limit/index.js';
import { redisAnswers } from '../test/rate-limit/test-redis.js';
import { backend } from '../test/support/environment.js';
import { describeMachine, median, printTable, recordResult, round } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 40);
const REDIS_URL = backend.redisUrl ?? 'redis://127.0.0.1:6379';
const repository = path.resolve(import.meta.dirname, '..');

interface Operation {
  readonly name: string;
  readonly text: string;
  readonly document: DocumentNode;
}

/** Each operation of schema/operations/ as a client sends it: alone, with the fragments it uses. */
function loadOperations(): Operation[] {
  const folder = path.join(repository, 'schema/operations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .flatMap((file) =>
      Object.entries(separateOperations(parse(readFileSync(path.join(folder, file), 'utf8')))).map(([name, document]) => {
        const text = print(document);
        return { name, text, document: parse(text) };
      }),
    );
}

/** Microseconds per call of `work`, timed over at least MIN_MS. */
async function microsPerCall(work: () => unknown, isAsync: boolean): Promise<number> {
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let batch = 0; batch < 50; batch += 1) {
      if (isAsync) await work();
      else work();
    }
    iterations += 50;
    elapsed = performance.now() - started;
  }
  return (elapsed * 1000) / iterations;
}

async function main(): Promise<void> {
  const costs = costSchemaFromSupergraphSdl(readFileSync(path.join(repository, 'schema/supergraph.graphql'), 'utf8'));
  const { schema } = costs;
  const operations = loadOperations();
  const memory = new MemoryRateLimiter({ ratePerSecond: 1e9, burst: 1e9 });
  const limiters: Array<[string, RateLimiter]> = [['in memory', memory]];
  let redis: RedisRateLimiter | undefined;
  if (await redisAnswers(REDIS_URL)) {
    redis = new RedisRateLimiter({ redis: REDIS_URL, ratePerSecond: 1e9, burst: 1e9, prefix: `tributary-bench-${randomUUID()}:` });
    await redis.take('warm-up');
    limiters.push(['Redis', redis]);
  } else {
    console.log(`no Redis answers at ${REDIS_URL}: the Redis rate limiter is not measured`);
  }

  const stages = {
    baseline: (operation: Operation) => validate(schema, parse(operation.text)),
    limits: (operation: Operation) => [...checkOperationText(operation.text), ...checkOperationLimits(operation.document)],
    cost: (operation: Operation) => estimateCost({ document: operation.document }, costs),
  };
  for (const operation of operations) {
    // Every shipped operation passes both checks: the bench measures the path a request takes.
    if (stages.limits(operation).length > 0 || stages.baseline(operation).length > 0) throw new Error(`${operation.name} is refused`);
  }

  const samples = new Map<string, { baseline: number[]; limits: number[]; cost: number[] }>();
  const takes = new Map<string, number[]>(limiters.map(([name]) => [name, []]));
  for (let roundIndex = 0; roundIndex < ROUNDS + 1; roundIndex += 1) {
    const warmUp = roundIndex === 0;
    for (const operation of operations) {
      const entry = samples.get(operation.name) ?? { baseline: [], limits: [], cost: [] };
      samples.set(operation.name, entry);
      for (const stage of ['baseline', 'limits', 'cost'] as const) {
        const micros = await microsPerCall(() => stages[stage](operation), false);
        if (!warmUp) entry[stage].push(micros);
      }
    }
    for (const [name, limiter] of limiters) {
      let client = 0;
      const micros = await microsPerCall(() => limiter.take(`ip:198.51.100.${(client += 1) % 250}`, 12), true);
      if (!warmUp) takes.get(name)!.push(micros);
    }
  }

  const rows = operations.map((operation) => {
    const entry = samples.get(operation.name)!;
    const baseline = median(entry.baseline);
    const limits = median(entry.limits);
    const cost = median(entry.cost);
    return {
      operation: operation.name,
      'parse+validate µs': round(baseline, 1),
      'limits µs': round(limits, 1),
      'cost µs': round(cost, 1),
      '(limits+cost) / baseline': round((limits + cost) / baseline, 3),
    };
  });
  const mean = (key: keyof (typeof rows)[number]) => rows.reduce((sum, row) => sum + Number(row[key]), 0) / rows.length;
  // As text: printTable rounds numbers to two decimals, which shows the in-memory ratio as 0.
  const rateLimitRows = [...takes].map(([name, values]) => ({
    limiter: name,
    'µs per take': round(median(values), 1),
    'take / mean baseline': (median(values) / mean('parse+validate µs')).toFixed(4),
  }));

  console.log(`\nprotection overhead — ${operations.length} operations, ${ROUNDS} rounds (medians), ${describeMachine()}`);
  printTable('per operation', rows);
  console.log(
    `\nmean over operations: parse+validate ${round(mean('parse+validate µs'), 1)} µs, limits ${round(mean('limits µs'), 1)} µs, cost ${round(mean('cost µs'), 1)} µs, ` +
      `(limits+cost)/baseline ${round(mean('(limits+cost) / baseline'), 3)}`,
  );
  printTable('rate limiting (one charge, sequential)', rateLimitRows);
  const file = await recordResult('protection-overhead', { rounds: ROUNDS, operations: rows, rateLimiters: rateLimitRows });
  console.log(`\nrecorded in ${path.relative(repository, file)}`);
  await Promise.all(limiters.map(([, limiter]) => limiter.close()));
}

await main();
