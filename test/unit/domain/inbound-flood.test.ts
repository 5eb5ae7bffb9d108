import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INBOUND_FLOOD_LIMIT,
  floodDecision,
  floodWindowStart,
  inboundFloodLimit,
} from '../../../src/domain/inbound-flood.js';

const now = new Date('2026-05-04T10:00:00Z');
const limit = { messages: 3, per_seconds: 60 };

describe('inbound flood limit', () => {
  it('defaults to 20 per 60 s, takes the tenant value, and null turns it off', () => {
    expect(inboundFloodLimit({})).toEqual({ messages: 20, per_seconds: 60 });
    expect(DEFAULT_INBOUND_FLOOD_LIMIT).toEqual({ messages: 20, per_seconds: 60 });
    expect(inboundFloodLimit({ inbound_flood_limit: { messages: 5, per_seconds: 10 } })).toEqual({
      messages: 5,
      per_seconds: 10,
    });
    expect(inboundFloodLimit({ inbound_flood_limit: null })).toBeNull();
  });

  it('lets messages up to the limit pass, and any number when off', () => {
    expect(floodDecision(limit, 1, null, now)).toEqual({ kind: 'pass' });
    expect(floodDecision(limit, 3, null, now)).toEqual({ kind: 'pass' });
    expect(floodDecision(null, 1000, null, now)).toEqual({ kind: 'pass' });
    // Under the limit again while an old hold has not ended: the message passes.
    expect(floodDecision(limit, 2, new Date(now.getTime() + 5_000), now)).toEqual({
      kind: 'pass',
    });
  });

  it('starts a hold of per_seconds with the first message over the limit', () => {
    expect(floodDecision(limit, 4, null, now)).toEqual({
      kind: 'hold',
      startsHold: true,
      holdUntil: new Date('2026-05-04T10:01:00Z'),
    });
  });

  it('keeps a running hold, and starts a new one once it has ended', () => {
    const until = new Date(now.getTime() + 1);
    expect(floodDecision(limit, 4, until, now)).toEqual({
      kind: 'hold',
      startsHold: false,
      holdUntil: until,
    });
    expect(floodDecision(limit, 4, now, now)).toMatchObject({ kind: 'hold', startsHold: true });
    expect(floodDecision(limit, 4, new Date(now.getTime() - 1), now)).toMatchObject({
      startsHold: true,
      holdUntil: new Date('2026-05-04T10:01:00Z'),
    });
  });

  it('counts messages created after the window start', () => {
    expect(floodWindowStart(limit, now)).toEqual(new Date('2026-05-04T09:59:00Z'));
  });
});
