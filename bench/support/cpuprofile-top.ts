/**
 * Summarizes a .cpuprofile (node --cpu-prof): self time by function and by package/file, and
 * inclusive time of functions whose name matches a filter. For the router throughput analysis.
 *
 *   npx tsx bench/support/cpuprofile-top.ts file.cpuprofile [top] [inclusive-filter-regex] [last-seconds]
 *
 * With last-seconds, only the samples of the profile's final seconds count (the steady-state load,
 * without start-up and module loading).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg, filterArg, lastArg] = process.argv.slice(2);
const filter = filterArg && filterArg !== '-' ? filterArg : undefined;
if (!file) {
  console.error('usage: cpuprofile-top.ts file.cpuprofile [top] [inclusive-filter-regex]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Keep only the samples of the last `lastArg` seconds, if given (zero their time otherwise).
if (lastArg) {
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  const from = profile.endTime - Number(lastArg) * 1e6;
  profile.timeDeltas = profile.timeDeltas.map((delta, index) => (times[index]! >= from ? delta : 0));
}
const selfTime = new Map<number, number>();
profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);

const where = (url: string) => {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/\/work\/main\//, '');
};
const nameOf = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const pct = (value: number) => `${((100 * value) / total).toFixed(1)}%`.padStart(6);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, value] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(value)}  ${key}`);
};

const selfByFunction = new Map<string, number>();
const selfByModule = new Map<string, number>();
for (const [id, time] of selfTime) {
  const node = byId.get(id)!;
  selfByFunction.set(nameOf(node), (selfByFunction.get(nameOf(node)) ?? 0) + time);
  const module = where(node.callFrame.url);
  selfByModule.set(module, (selfByModule.get(module) ?? 0) + time);
}
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by package/file', selfByModule);
print('self time by function', selfByFunction);

// Inclusive time: every sample counts once for each distinct function on its stack.
const inclusive = new Map<string, number>();
const pattern = filter ? new RegExp(filter) : undefined;
profile.samples.forEach((id, index) => {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const name = nameOf(byId.get(current)!);
    if (seen.has(name)) continue;
    seen.add(name);
    if (!pattern || pattern.test(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
});
print(`inclusive time${filter ? ` (functions matching /${filter}/)` : ''}`, inclusive);
