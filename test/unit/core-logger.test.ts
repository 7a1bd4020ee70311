import { describe, expect, it } from 'vitest';
import { createLogger, createMemorySink, REDACTED, redact } from '../../electron/core/log/logger.js';

describe('logger', () => {
  it('writes one JSON object per line with level, message and fields', () => {
    const sink = createMemorySink();
    const log = createLogger({
      sink,
      now: () => new Date('2025-06-01T00:00:00Z'),
    }).child({ component: 'counter' });
    log.info('redeemed', { redemptionId: 'R-1' });
    log.debug('hidden below info');
    expect(sink.entries()).toEqual([
      {
        t: '2025-06-01T00:00:00.000Z',
        level: 'info',
        msg: 'redeemed',
        component: 'counter',
        redemptionId: 'R-1',
      },
    ]);
  });

  it('redacts personal data and secrets at any depth', () => {
    const sink = createMemorySink();
    const log = createLogger({ sink });
    log.warn('voucher', {
      voucher: {
        serialNumber: 'ABC',
        buyerDetails: { name: '楊于慧', phone: '0912063990' },
        nested: [
          {
            buyer_name: '王大明',
            Phone: '0922000111',
            deeper: { sharedSecret: 's3cret', Authorization: 'Bearer t0ken' },
          },
        ],
      },
      password: 'hunter2',
      token: 'abc.def',
      headers: { authorization: 'Basic xyz', 'X-STOREAUTH-SIG': 'deadbeef' },
    });
    const line = sink.lines[0]!;
    for (const leaked of [
      '楊于慧',
      '0912063990',
      '王大明',
      '0922000111',
      's3cret',
      't0ken',
      'hunter2',
      'abc.def',
      'Basic xyz',
      'deadbeef',
    ]) {
      expect(line).not.toContain(leaked);
    }
    expect(sink.entries()[0]).toMatchObject({
      voucher: {
        serialNumber: 'ABC',
        buyerDetails: REDACTED,
        nested: [
          {
            buyer_name: REDACTED,
            Phone: REDACTED,
            deeper: { sharedSecret: REDACTED, Authorization: REDACTED },
          },
        ],
      },
      password: REDACTED,
    });
  });

  it('flattens errors (own fields redacted too) and survives cycles', () => {
    const error = Object.assign(new Error('boom'), {
      secret: 'xyz',
      code: 'E1',
    });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(redact({ error, cyclic })).toMatchObject({
      error: { type: 'Error', message: 'boom', secret: REDACTED, code: 'E1' },
      cyclic: { a: 1, self: '[circular]' },
    });
  });

  it('never throws when the sink does', () => {
    const log = createLogger({
      sink: () => {
        throw new Error('disk full');
      },
    });
    expect(() => log.error('x')).not.toThrow();
  });
});
