import { PRIORITIES, type Priority } from './vocabulary.js';

/** 0 for `low` up to 3 for `urgent`. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/**
 * Negative when `a` is less urgent than `b`, 0 when equal, positive when more urgent, so
 * `list.sort(comparePriority)` puts `low` first; sort with `(a, b) => comparePriority(b, a)`
 * for most-urgent-first.
 */
export function comparePriority(a: Priority, b: Priority): number {
  return priorityRank(a) - priorityRank(b);
}

/** One level more urgent; `urgent` stays `urgent`. */
export function bumpPriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(priorityRank(priority) + 1, PRIORITIES.length - 1)] ?? 'urgent';
}
