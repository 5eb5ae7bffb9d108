/**
 * An in-process CPU profile of Parley (node:inspector) around one phase, summarized by where
 * the self time went: a package under node_modules, a repository file, node's internals, GC.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Self time by area (package, repository folder, node internals, GC/idle), share of samples. */
  byArea: { area: string; ms: number; share: number }[];
  /** Self time by function, the heaviest first. */
  topFunctions: { fn: string; ms: number; share: number }[];
  /** Inclusive time under frames of a few areas we care about. */
  inclusive: Record<string, { ms: number; share: number }>;
}

const ROOT = process.cwd();

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node:${m?.[1] ?? url}`;
  }
  const file = url.replace(/^file:\/\//, '');
  const rel = path.relative(ROOT, file);
  const parts = rel.split(path.sep);
  return parts.length > 2 ? parts.slice(0, 2).join('/') : rel;
}

/** Frames whose inclusive time is reported (a frame counts once per sample even if recursive). */
const INCLUSIVE: Record<string, (n: ProfileNode) => boolean> = {
  'express (whole middleware stack)': (n) =>
    /node_modules\/(express|router)\//.test(n.callFrame.url),
  'pg + drizzle': (n) =>
    /node_modules\/(pg|pg-protocol|pg-pool|drizzle-orm)\//.test(n.callFrame.url),
  'http parsing/writing (node:_http_*)': (n) => /node:_http_/.test(n.callFrame.url),
  pino: (n) => /node_modules\/pino/.test(n.callFrame.url),
  'prom-client': (n) => /node_modules\/prom-client/.test(n.callFrame.url),
  'src/http': (n) => n.callFrame.url.includes('/src/http/'),
  adapters: (n) => n.callFrame.url.includes('/adapters/'),
  'src/app (bot pipeline)': (n) => n.callFrame.url.includes('/src/app/'),
  'src/engine + flows': (n) =>
    n.callFrame.url.includes('/src/engine/') || n.callFrame.url.includes('/flows/'),
  zod: (n) => /node_modules\/zod\//.test(n.callFrame.url),
  i18next: (n) => /node_modules\/i18next\//.test(n.callFrame.url),
  grammy: (n) => /node_modules\/grammy\//.test(n.callFrame.url),
};

export function summarizeProfile(profile: Profile, file: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: attribute it to this sample's node.
    const us = Math.max(0, deltas[i] ?? 0);
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const incl: Record<string, number> = Object.fromEntries(
    Object.keys(INCLUSIVE).map((k) => [k, 0]),
  );
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn =
      `${functionName || '(anonymous)'} ${url ? `${areaOf(url, '')}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const hit = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      for (const [name, test] of Object.entries(INCLUSIVE)) if (test(node)) hit.add(name);
    }
    for (const name of hit) incl[name]! += us;
  }
  const row = (us: number) => ({
    ms: Math.round(us / 1000),
    share: Math.round((us / total) * 1000) / 1000,
  });
  const top = <T extends string>(m: Map<T, number>, k: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  return {
    file,
    totalMs: Math.round(total / 1000),
    byArea: top(areas, 20).map(([area, us]) => ({ area, ...row(us) })),
    topFunctions: top(fns, 25).map(([fn, us]) => ({ fn, ...row(us) })),
    inclusive: Object.fromEntries(Object.entries(incl).map(([k, us]) => [k, row(us)])),
  };
}

export async function startProfile(): Promise<{ stop(file: string): Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      return summarizeProfile(profile, file);
    },
  };
}
