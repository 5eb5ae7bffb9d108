/**
 * Where the CPU went while the load ran: the Parley processes, PostgreSQL (the postmaster and its
 * backends, when it runs on this machine), this bench (load generator and fake platforms) and
 * everything else, each as a percent of the whole machine (100 = every core busy). Linux only.
 */
import os from 'node:os';
import { machineBusyMs, processTreeMs } from '../support/cpu-monitor.js';

export interface CpuShares {
  cores: number;
  parley_pct: number;
  /** Per Parley process, in start order. */
  parley_per_process_pct: number[];
  /** null when PostgreSQL is not a local process we know (DATABASE_URL). */
  postgres_pct: number | null;
  bench_pct: number;
  other_pct: number;
  idle_pct: number;
}

interface Sample {
  at: number;
  machine: number;
  parley: number[];
  postgres: number;
  bench: number;
}

export interface CpuSampler {
  sample(): Promise<Sample>;
  shares(from: Sample, to: Sample): CpuShares | null;
}

export function cpuSampler(parleyPids: readonly number[], postmasterPid?: number): CpuSampler {
  const supported = process.platform === 'linux';
  return {
    async sample() {
      const own = process.cpuUsage();
      return {
        at: performance.now(),
        machine: supported ? await machineBusyMs() : 0,
        parley: supported ? await Promise.all(parleyPids.map((pid) => processTreeMs(pid))) : [],
        postgres: supported && postmasterPid ? await processTreeMs(postmasterPid) : 0,
        bench: (own.user + own.system) / 1000,
      };
    },
    shares(from, to) {
      if (!supported) return null;
      const cores = os.cpus().length;
      const capacity = (to.at - from.at) * cores;
      if (capacity <= 0) return null;
      const pct = (ms: number) => Math.round((ms / capacity) * 1000) / 10;
      const perProcess = to.parley.map((ms, i) => ms - (from.parley[i] ?? 0));
      const parley = perProcess.reduce((a, b) => a + b, 0);
      const postgres = postmasterPid ? to.postgres - from.postgres : 0;
      const bench = to.bench - from.bench;
      const machine = to.machine - from.machine;
      return {
        cores,
        parley_pct: pct(parley),
        parley_per_process_pct: perProcess.map(pct),
        postgres_pct: postmasterPid ? pct(postgres) : null,
        bench_pct: pct(bench),
        other_pct: Math.max(0, pct(machine - parley - postgres - bench)),
        idle_pct: Math.max(0, pct(capacity - machine)),
      };
    },
  };
}
