/**
 * How busy the machine is, and how much of that is us. Benchmarks on a shared 2-core machine are
 * only meaningful when nothing else runs, so every phase records the CPU other processes used
 * during it, and waits (bounded) for a quiet moment before it starts.
 *
 * Linux only (/proc); elsewhere the numbers are null and nothing waits.
 */
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';

export interface CpuSample {
  at: number;
  /** Busy jiffies of the whole machine (all cores), in ms. */
  machineMs: number;
  /** This process (Parley + load worker), in ms. */
  ownMs: number;
  /** Our PostgreSQL server (postmaster and its children), in ms; 0 when unknown. */
  postgresMs: number;
}

export interface CpuUsage {
  /** Percent of all cores: 100 = every core busy. */
  machine_pct: number;
  bench_pct: number;
  /** What other processes used: machine - (this process + our PostgreSQL). */
  other_pct: number;
  load_avg_1m: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Busy time of the whole machine (all cores) since boot, in ms. */
export async function machineBusyMs(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const cpu = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/** CPU time of a process and its direct children (reaped ones too, for the root), in ms. */
export async function processTreeMs(rootPid: number): Promise<number> {
  let total = 0;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const ppid = Number(fields[1]);
    if (pid !== rootPid && ppid !== rootPid) continue;
    // utime, stime (fields 14 and 15 of stat; 12 and 13 after the comm)
    total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    // cutime, cstime of the postmaster: backends that have exited (and were reaped) count there
    if (pid === rootPid) total += (Number(fields[13]) + Number(fields[14])) * TICK_MS;
  }
  return total;
}

export class CpuMonitor {
  readonly supported = process.platform === 'linux';

  constructor(private readonly postmasterPid: number | undefined) {}

  async sample(): Promise<CpuSample> {
    const own = process.cpuUsage();
    return {
      at: performance.now(),
      machineMs: this.supported ? await machineBusyMs() : 0,
      ownMs: (own.user + own.system) / 1000,
      postgresMs:
        this.supported && this.postmasterPid ? await processTreeMs(this.postmasterPid) : 0,
    };
  }

  usage(from: CpuSample, to: CpuSample): CpuUsage | null {
    if (!this.supported) return null;
    const capacity = (to.at - from.at) * os.cpus().length;
    if (capacity <= 0) return null;
    const pct = (ms: number) => Math.round((ms / capacity) * 1000) / 10;
    const machine = to.machineMs - from.machineMs;
    const bench = to.ownMs - from.ownMs + (to.postgresMs - from.postgresMs);
    return {
      machine_pct: pct(machine),
      bench_pct: pct(bench),
      other_pct: Math.max(0, pct(machine - bench)),
      load_avg_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    };
  }

  /**
   * Waits until other processes used less than `maxOtherPct` of the machine for a whole
   * `windowMs`, at most `timeoutMs`. Returns how long it waited and the last window's usage.
   */
  async waitForQuiet(
    maxOtherPct = 15,
    windowMs = 1000,
    timeoutMs = 60_000,
  ): Promise<{ waitedMs: number; quiet: boolean }> {
    if (!this.supported) return { waitedMs: 0, quiet: true };
    const started = performance.now();
    for (;;) {
      const a = await this.sample();
      await new Promise((r) => setTimeout(r, windowMs));
      const u = this.usage(a, await this.sample());
      const waitedMs = Math.round(performance.now() - started);
      if (!u || u.other_pct < maxOtherPct) return { waitedMs, quiet: true };
      if (waitedMs >= timeoutMs) return { waitedMs, quiet: false };
    }
  }
}
