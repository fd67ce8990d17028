/**
 * Retainer chains of a few objects of one kind in a V8 heap snapshot: who keeps them alive.
 * Companion of heap-diff.ts for explaining router-subscription-memory.ts numbers.
 *
 *   npx tsx bench/support/heap-retainers.ts snapshot.heapsnapshot "object:Token" [samples] [depth]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const [file, kind, samplesArg, depthArg] = process.argv.slice(2);
if (!file || !kind) {
  console.error('usage: heap-retainers.ts snapshot.heapsnapshot "type:name" [samples] [depth]');
  process.exit(2);
}
const samples = Number(samplesArg ?? 3);
const depth = Number(depthArg ?? 12);
const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const { meta } = snapshot.snapshot;
const nodeWidth = meta.node_fields.length;
const edgeWidth = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const [typeAt, nameAt, edgeCountAt] = ['type', 'name', 'edge_count'].map((field) => meta.node_fields.indexOf(field)) as [number, number, number];
const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((field) => meta.edge_fields.indexOf(field)) as [number, number, number];
const nodeCount = snapshot.nodes.length / nodeWidth;

const label = (node: number) => {
  const type = nodeTypes[snapshot.nodes[node * nodeWidth + typeAt]!]!;
  const name = snapshot.strings[snapshot.nodes[node * nodeWidth + nameAt]!] ?? '?';
  return `${type}:${type.includes('string') ? JSON.stringify(name.slice(0, 40)) : name.slice(0, 60)}`;
};

// Reverse edges: for every node, (retainer node, edge label), skipping weak edges.
const retainers: Array<Array<[number, string]>> = Array.from({ length: nodeCount }, () => []);
let edgeIndex = 0;
for (let node = 0; node < nodeCount; node += 1) {
  const count = snapshot.nodes[node * nodeWidth + edgeCountAt]!;
  for (let edge = 0; edge < count; edge += 1, edgeIndex += edgeWidth) {
    const type = edgeTypes[snapshot.edges[edgeIndex + edgeTypeAt]!]!;
    if (type === 'weak') continue;
    const nameOrIndex = snapshot.edges[edgeIndex + edgeNameAt]!;
    const name = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : (snapshot.strings[nameOrIndex] ?? '?');
    const to = snapshot.edges[edgeIndex + toAt]! / nodeWidth;
    retainers[to]!.push([node, `${type}:${name}`]);
  }
}

const matching: number[] = [];
for (let node = 0; node < nodeCount; node += 1) if (label(node).startsWith(kind)) matching.push(node);
console.log(`${matching.length} nodes match ${kind}`);
for (let sample = 0; sample < samples && sample < matching.length; sample += 1) {
  let node = matching[Math.floor((matching.length * (sample + 0.5)) / samples)]!;
  console.log(`\n#${sample + 1} ${label(node)}`);
  const seen = new Set<number>([node]);
  for (let level = 0; level < depth; level += 1) {
    // Prefer a retainer that is not a code/system internal and not already on the chain.
    const candidates = retainers[node]!.filter(([from]) => !seen.has(from));
    const next = candidates.find(([from]) => !label(from).startsWith('code:') && !label(from).startsWith('hidden:')) ?? candidates[0];
    if (!next) break;
    const [from, edge] = next;
    console.log(`${'  '.repeat(level + 1)}← ${edge} of ${label(from)} (${retainers[node]!.length} retainers)`);
    seen.add(from);
    node = from;
  }
}
