/**
 * What grew between two V8 heap snapshots, by (node type, constructor/function name): count and
 * self size, largest growth first. Used to explain router-subscription-memory.ts numbers.
 *
 *   npx tsx bench/support/heap-diff.ts before.heapsnapshot after.heapsnapshot [per-N] [top]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function summarize(file: string): Map<string, { count: number; size: number }> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { count: number; size: number }>();
  for (let index = 0; index < snapshot.nodes.length; index += width) {
    const type = types[snapshot.nodes[index + typeAt]!]!;
    let name = snapshot.strings[snapshot.nodes[index + nameAt]!] ?? '?';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '';
    if (name.length > 80) name = `${name.slice(0, 77)}...`;
    const key = `${type}:${name}`;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count += 1;
    group.size += snapshot.nodes[index + sizeAt]!;
    groups.set(key, group);
  }
  return groups;
}

const [beforeFile, afterFile, perArg, topArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot [per-N] [top]');
  process.exit(2);
}
const per = Number(perArg ?? 1);
const top = Number(topArg ?? 40);
const before = summarize(beforeFile);
const after = summarize(afterFile);
const rows = [...after.entries()]
  .map(([key, value]) => {
    const previous = before.get(key) ?? { count: 0, size: 0 };
    return { key, count: value.count - previous.count, size: value.size - previous.size };
  })
  .sort((a, b) => b.size - a.size);
const total = rows.reduce((sum, row) => sum + row.size, 0);
console.log(`total self-size growth: ${total} bytes (${(total / per).toFixed(0)} per unit, ${per} units)`);
console.log(`${'bytes/unit'.padStart(10)} ${'count/unit'.padStart(10)}  type:name`);
for (const row of rows.slice(0, top)) {
  console.log(`${(row.size / per).toFixed(0).padStart(10)} ${(row.count / per).toFixed(2).padStart(10)}  ${row.key}`);
}
