/**
 * CPU accounting per process group during a phase, from /proc (Linux): Parley (this process),
 * PostgreSQL (the postmaster, its children, and the children it reaped), the load generator,
 * the fakes, and everything else on the machine (other people's work steals our cores).
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

const TICK_S = 0.01; // CLK_TCK is 100 on Linux

export interface CpuGroups {
  parley: number;
  /** `--split`: the worker process running the bot. */
  worker?: number;
  load?: number;
  fakes?: number;
  postgresPid?: number;
}

export interface CpuSnapshot {
  at: number;
  machineBusy: number;
  machineTotal: number;
  groups: Record<string, number>;
}

/** Cores used over the interval, per group (`other` = busy minus our groups; `idle`). */
export type CpuUsage = Record<string, number>;

function procStat(pid: number): { ppid: number; self: number; reaped: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i] ?? 0);
    return { ppid: n(1), self: n(11) + n(12), reaped: n(13) + n(14) };
  } catch {
    return undefined;
  }
}

function machine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

function postgresTicks(postmaster: number): number {
  const root = procStat(postmaster);
  if (!root) return 0;
  let ticks = root.self + root.reaped;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s && s.ppid === postmaster) ticks += s.self;
  }
  return ticks;
}

export function available(): boolean {
  try {
    machine();
    return true;
  } catch {
    return false;
  }
}

export function snapshot(groups: CpuGroups): CpuSnapshot {
  const m = machine();
  const ticks: Record<string, number> = { parley: procStat(groups.parley)?.self ?? 0 };
  if (groups.worker) ticks.worker = procStat(groups.worker)?.self ?? 0;
  if (groups.load) ticks.load = procStat(groups.load)?.self ?? 0;
  if (groups.fakes) ticks.fakes = procStat(groups.fakes)?.self ?? 0;
  if (groups.postgresPid) ticks.postgres = postgresTicks(groups.postgresPid);
  return { at: Date.now(), machineBusy: m.busy, machineTotal: m.total, groups: ticks };
}

/** Cores used per group between two snapshots (2.0 = both cores of a 2-core machine). */
export function usage(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const seconds = (b.at - a.at) / 1000;
  if (seconds <= 0) return {};
  const cores = (ticks: number) => Math.round(((ticks * TICK_S) / seconds) * 100) / 100;
  const out: CpuUsage = {};
  let ours = 0;
  for (const [name, t] of Object.entries(b.groups)) {
    const d = t - (a.groups[name] ?? 0);
    ours += d;
    out[name] = cores(d);
  }
  const busy = b.machineBusy - a.machineBusy;
  const total = b.machineTotal - a.machineTotal;
  out.other = cores(Math.max(0, busy - ours));
  // /proc/stat counts jiffies summed over all cores.
  out.idle = Math.round((((total - busy) * TICK_S) / seconds) * 100) / 100;
  return out;
}

/** Waits (up to `maxMs`) until processes other than ours use less than `threshold` cores. */
export async function waitForQuiet(
  groups: CpuGroups,
  opts: { maxMs: number; threshold?: number },
): Promise<{ waitedMs: number; otherCores: number }> {
  const threshold = opts.threshold ?? 0.25;
  const started = Date.now();
  for (;;) {
    const a = snapshot(groups);
    await new Promise((r) => setTimeout(r, 1000));
    const other = usage(a, snapshot(groups)).other ?? 0;
    const waitedMs = Date.now() - started;
    if (other < threshold || waitedMs >= opts.maxMs) return { waitedMs, otherCores: other };
  }
}

export const cpuCount = (): number => os.availableParallelism?.() ?? os.cpus().length;
