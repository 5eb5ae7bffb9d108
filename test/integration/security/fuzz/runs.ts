/**
 * How hard the fuzz tests push: FUZZ_RUNS runs per property (default 12, some properties take a
 * multiple), FUZZ_SEED replays a failing run (fast-check prints the seed).
 */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
export const fcOptions = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) };
