/**
 * Sends one hostile request and checks the answer every route owes: a status below 500 that
 * arrived in time, and for a 4xx the contract's error shape `{error: {code, message}}`.
 */
import { expect } from 'vitest';

export interface Probe {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** What the request was, for the failure message. */
  label: string;
}

export interface ProbeAnswer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** Longest any single fuzzed request may take before it counts as a hang. */
export const PROBE_TIMEOUT_MS = 10_000;

export async function send(probe: Probe): Promise<ProbeAnswer> {
  const res = await fetch(probe.url, {
    method: probe.method,
    headers: probe.headers ?? {},
    ...(probe.body !== undefined ? { body: probe.body } : {}),
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export function describeProbe(probe: Probe, answer?: ProbeAnswer): string {
  const body =
    probe.body === undefined
      ? ''
      : ` body=${JSON.stringify(String(probe.body).slice(0, 300))}${String(probe.body).length > 300 ? '…' : ''}`;
  const got = answer ? ` → ${answer.status} ${answer.text.slice(0, 300)}` : '';
  const url = probe.url.replace(/^https?:\/\/[^/]+/, '');
  const shortUrl = url.length > 300 ? `${url.slice(0, 300)}…` : url;
  return `${probe.label}: ${probe.method} ${shortUrl}${body}${got}`;
}

/** True when `value` is `{error: {code: string, message: string, …}}`. */
export function isContractError(value: unknown): boolean {
  const error = (value as { error?: unknown } | undefined)?.error as
    { code?: unknown; message?: unknown } | undefined;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    error.code.length > 0 &&
    typeof error.message === 'string' &&
    error.message.length > 0
  );
}

/** Sends the request and asserts a polite answer; returns it for further checks. */
export async function expectPolite(probe: Probe): Promise<ProbeAnswer> {
  let answer: ProbeAnswer;
  try {
    answer = await send(probe);
  } catch (err) {
    throw new Error(`${describeProbe(probe)} → no answer (${String(err)})`, { cause: err });
  }
  const why = describeProbe(probe, answer);
  expect(answer.status, why).toBeGreaterThanOrEqual(200);
  expect(answer.status, why).toBeLessThan(500);
  if (answer.status >= 400) expect(isContractError(answer.json), why).toBe(true);
  return answer;
}
