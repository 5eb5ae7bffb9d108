import { describe, expect, it } from 'vitest';
import { createWebhookTargets } from '../../../src/app/webhook-targets.js';
import { verifyWebhookSignature, webhookSignature } from '../../../src/app/webhook-signature.js';
import { subscribedTo } from '../../../src/domain/webhook-events.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"type":"ticket.created"}';

  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    // echo -n '1767261600.{"type":"ticket.created"}' | openssl dgst -sha256 -hmac whsec_test
    expect(webhookSignature(secret, 1767261600, body)).toBe(
      't=1767261600,v1=60c3bbdf72abb3c32d2d878791c0e42af68f0fc3fce0324775b9fc3ed047cc71',
    );
    expect(webhookSignature(secret, 1767261600, body)).not.toBe(
      webhookSignature(secret, 1767261601, body),
    );
  });

  it('verifies within the tolerance and refuses replays and tampering', () => {
    const header = webhookSignature(secret, 1_000_000, body);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, header, body, nowSeconds: 1_000_000, ...over });
    expect(check({})).toBe(true);
    expect(check({ nowSeconds: 1_000_299 })).toBe(true);
    expect(check({ nowSeconds: 1_000_301 })).toBe(false); // replayed later
    expect(check({ body: body.replace('created', 'updated') })).toBe(false);
    expect(check({ header: header.replace('t=1000000', 't=1000001') })).toBe(false);
    expect(check({ header: 'v1=abc' })).toBe(false);
  });
});

describe('webhook targets', () => {
  it('filters by event, empty meaning all', () => {
    expect(subscribedTo([], 'ticket.message')).toBe(true);
    expect(subscribedTo(['ticket.created'], 'ticket.message')).toBe(false);
  });

  it('reads a tenant’s subscriptions at most once per TTL, and again once forgotten', async () => {
    let t = 0;
    let reads = 0;
    const targets = createWebhookTargets({ allowHttp: false, ttlMs: 5000, now: () => t });
    const stores = {
      webhookSubscriptions: {
        listActive: async () => {
          reads += 1;
          return [];
        },
      },
    } as never;
    await targets.active(stores, 'tenant-1');
    t = 4999;
    await targets.active(stores, 'tenant-1');
    expect(reads).toBe(1);
    await targets.active(stores, 'tenant-2');
    expect(reads).toBe(2);
    t = 5000;
    await targets.active(stores, 'tenant-1');
    expect(reads).toBe(3);
    targets.forget('tenant-1');
    await targets.active(stores, 'tenant-1');
    expect(reads).toBe(4);
  });
});
