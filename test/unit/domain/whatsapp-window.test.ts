import { describe, expect, it } from 'vitest';
import { SERVICE_WINDOW_MS, serviceWindow } from '../../../src/domain/whatsapp-window.js';

const last = new Date('2026-01-01T10:00:00Z');
const plus = (ms: number) => new Date(last.getTime() + ms);
const HOUR = 3_600_000;

describe('serviceWindow', () => {
  it('is 24 hours', () => {
    expect(SERVICE_WINDOW_MS).toBe(24 * HOUR);
  });

  it('is closed when the customer never wrote', () => {
    expect(serviceWindow(null, last)).toEqual({ open: false, closesAt: null, msLeft: 0 });
  });

  it('is open right after the customer wrote, closing 24 h later', () => {
    expect(serviceWindow(last, last)).toEqual({
      open: true,
      closesAt: new Date('2026-01-02T10:00:00Z'),
      msLeft: SERVICE_WINDOW_MS,
    });
    expect(serviceWindow(last, plus(23 * HOUR))).toMatchObject({ open: true, msLeft: HOUR });
  });

  it('closes exactly at 24 hours', () => {
    expect(serviceWindow(last, plus(SERVICE_WINDOW_MS - 1))).toMatchObject({
      open: true,
      msLeft: 1,
    });
    expect(serviceWindow(last, plus(SERVICE_WINDOW_MS))).toEqual({
      open: false,
      closesAt: plus(SERVICE_WINDOW_MS),
      msLeft: 0,
    });
    expect(serviceWindow(last, plus(3 * SERVICE_WINDOW_MS))).toMatchObject({
      open: false,
      msLeft: 0,
    });
  });

  it('never reports more than 24 hours left when the message is ahead of our clock', () => {
    expect(serviceWindow(plus(5 * 60_000), last)).toMatchObject({
      open: true,
      msLeft: SERVICE_WINDOW_MS,
    });
  });

  it('treats an invalid date as never', () => {
    expect(serviceWindow(new Date(Number.NaN), last)).toEqual({
      open: false,
      closesAt: null,
      msLeft: 0,
    });
  });
});
