/**
 * Summarises a V8 `.cpuprofile` (from `npm run bench -- --cpu-prof DIR`): where the relay's CPU
 * time goes, by function (self and total time) and by package.
 *   node dist/bench/cpu-profile-summary.js FILE.cpuprofile [--top N] [--callers NAME [--depth N]]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  frame: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** CPU time outside `(idle)`. */
  busyMs: number;
  bySelf: FrameTime[];
  byTotal: FrameTime[];
  byPackage: FrameTime[];
}

const META_FRAMES = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** `fn file:line`, file relative to the repository (or the package inside node_modules). */
function frameName(frame: CallFrame): string {
  if (META_FRAMES.has(frame.functionName) || frame.url === '') return frame.functionName || '(anonymous)';
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) return path.slice(inModules + '/node_modules/'.length);
  const inDist = /\/dist[^/]*\/(.*)$/.exec(path);
  return inDist ? inDist[1]! : path;
}

/** Which package (or relay area, or node internals) a frame belongs to. */
function packageOf(frame: CallFrame): string {
  if (META_FRAMES.has(frame.functionName) && frame.url === '') return frame.functionName;
  const path = frame.url.replace(/^file:\/\//, '');
  if (path.startsWith('node:') || (!path.startsWith('/') && path !== '')) return 'node internals';
  if (path === '') return 'native / builtins';
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const parts = path.slice(inModules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const area = /\/dist[^/]*\/((?:apps\/relay\/src|libs\/[^/]+\/src)\/[^/]+)/.exec(path);
  return area ? area[1]! : shortUrl(path);
}

function sortedShares(times: Map<string, number>, totalMs: number, top: number): FrameTime[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, ms]) => ({ frame, ms, share: ms / totalMs }));
}

export function summarizeCpuProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(nodeId)!;
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') idleMs += ms;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const area = packageOf(node.callFrame);
    byPackage.set(area, (byPackage.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
      const frame = frameName(byId.get(id)!.callFrame);
      if (seen.has(frame) || frame === '(root)') continue;
      seen.add(frame);
      total.set(frame, (total.get(frame) ?? 0) + ms);
    }
  });
  const busyMs = totalMs - idleMs;
  return {
    totalMs,
    busyMs,
    bySelf: sortedShares(self, busyMs, top),
    byTotal: sortedShares(total, busyMs, top),
    byPackage: sortedShares(byPackage, busyMs, top),
  };
}

/**
 * For frames whose name contains `needle`: their callers (up to `depth` frames up the stack),
 * weighted by the time spent in the frame and below it.
 */
export function callersOf(profile: CpuProfile, needle: string, depth = 4, top = 15): FrameTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const chains = new Map<string, number>();
  let busyMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (byId.get(nodeId)!.callFrame.functionName !== '(idle)') busyMs += ms;
    const stack: string[] = [];
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id))
      stack.push(frameName(byId.get(id)!.callFrame));
    const at = stack.findIndex((frame) => frame.includes(needle));
    if (at === -1) return;
    const chain = stack.slice(at, at + depth + 1).join('  <-  ');
    chains.set(chain, (chains.get(chain) ?? 0) + ms);
  });
  return sortedShares(chains, busyMs, top);
}

function formatShares(title: string, rows: readonly FrameTime[]): string {
  const lines = rows.map(
    (row) =>
      `  ${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.frame}`,
  );
  return `${title}\n${lines.join('\n')}`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, callers: { type: 'string' }, depth: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error(
      'Usage: node dist/bench/cpu-profile-summary.js FILE.cpuprofile [--top N] [--callers NAME [--depth N]]',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  const top = Number(values.top ?? 25);
  if (values.callers !== undefined) {
    const chains = callersOf(profile, values.callers, Number(values.depth ?? 4), top);
    console.log(
      formatShares(`Callers of frames matching "${values.callers}" (time in and below them)`, chains),
    );
    return;
  }
  const summary = summarizeCpuProfile(profile, top);
  console.log(
    [
      `${positionals[0]}: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.busyMs.toFixed(0)} ms busy (shares are of busy time)`,
      formatShares('By package / relay area (self time)', summary.byPackage),
      formatShares('Top functions by self time', summary.bySelf),
      formatShares('Top functions by total time (self + callees)', summary.byTotal),
    ].join('\n\n'),
  );
}

if (require.main === module) main();
