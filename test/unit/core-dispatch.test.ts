import { describe, expect, it, vi } from 'vitest';
import type { DeskHandlers } from '../../shared/contract.js';
import { DeskError } from '../../shared/errors.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';

const status = {
  mode: 'demo' as const,
  waugMode: 'demo' as const,
  version: '0.1.0',
  stationName: 'Front desk 1',
  operatorName: 'Amy',
  locale: 'zh-TW' as const,
  soundOn: true,
  shiftStartedAt: '2025-06-01T00:00:00.000Z',
};

function handlers(overrides: Partial<DeskHandlers> = {}): DeskHandlers {
  const unused = async () => {
    throw new Error('not used in this test');
  };
  return {
    lookupVoucher: vi.fn(async ({ serial }) => ({
      kind: 'not_found' as const,
      serial,
      source: 'remote' as const,
    })),
    redeemVoucher: unused,
    listShiftRedemptions: async () => [],
    startShift: unused,
    getAppStatus: async () => status,
    getSettings: unused,
    updateSettings: unused,
    searchVouchers: unused,
    getSyncStatus: unused,
    setWorkOffline: unused,
    syncNow: unused,
    listOutbox: unused,
    resolveConflict: unused,
    getOrder: unused,
    searchOrders: unused,
    syncOrders: unused,
    requestRefund: unused,
    listMappings: unused,
    setMapping: unused,
    removeMapping: unused,
    listBookings: unused,
    retryBooking: unused,
    getServeStatus: unused,
    setServe: unused,
    listGoods: unused,
    getGoods: unused,
    getGoodsPrices: unused,
    syncCatalog: unused,
    newBookingDraft: unused,
    saveBookingDraft: unused,
    getBookingDraft: unused,
    listBookingDrafts: unused,
    discardBookingDraft: unused,
    validateBooking: unused,
    createBooking: unused,
    ...overrides,
  };
}

function logger() {
  const sink = createMemorySink();
  return { sink, log: createLogger({ sink }) };
}

describe('dispatch', () => {
  it('answers ok with the parsed request applied (defaults included)', async () => {
    const h = handlers();
    const { log } = logger();
    const result = await dispatch(h, 'lookupVoucher', { serial: 'abc' }, log);
    expect(result).toEqual({
      ok: true,
      value: { kind: 'not_found', serial: 'abc', source: 'remote' },
    });
    expect(h.lookupVoucher).toHaveBeenCalledWith({
      serial: 'abc',
      prefer: 'remote',
    });
  });

  it('accepts a missing payload for calls without parameters', async () => {
    const { log } = logger();
    expect(await dispatch(handlers(), 'getAppStatus', undefined, log)).toEqual({
      ok: true,
      value: status,
    });
  });

  it('refuses an unknown call as forbidden, including prototype names', async () => {
    const { log } = logger();
    for (const name of ['deleteEverything', '__proto__', 'toString', 'constructor']) {
      expect(await dispatch(handlers(), name, {}, log)).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'Unknown call.' },
      });
    }
  });

  it('answers bad_input with a short human message for a bad payload', async () => {
    const { log } = logger();
    const result = await dispatch(handlers(), 'lookupVoucher', { serial: 42 }, log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_input');
    expect(result.error.message).toMatch(/^Invalid request for lookupVoucher: serial: /);
    expect(result.error.message).not.toMatch(/\n|at .*\.ts/);
    const extra = await dispatch(handlers(), 'getAppStatus', { sneaky: true }, log);
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('passes a DeskError through as {ok:false}', async () => {
    const { log } = logger();
    const h = handlers({
      lookupVoucher: async () => {
        throw new DeskError('network', 'Yahoo could not be reached.');
      },
    });
    expect(await dispatch(h, 'lookupVoucher', { serial: 'abc' }, log)).toEqual({
      ok: false,
      error: { code: 'network', message: 'Yahoo could not be reached.' },
    });
  });

  it('answers any other exception as internal, without its message, and logs it with a reference', async () => {
    const { sink, log } = logger();
    const h = handlers({
      lookupVoucher: async () => {
        throw new TypeError('cannot read properties of undefined (secret path /home/x)');
      },
    });
    const result = await dispatch(h, 'lookupVoucher', { serial: 'abc' }, log);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('internal');
    expect(result.error.message).not.toContain('cannot read');
    const ref = /reference ([0-9a-f]{8})/.exec(result.error.message)?.[1];
    expect(ref).toBeDefined();
    const logged = sink.entries().find((e) => e['msg'] === 'dispatch.internal_error');
    expect(logged).toMatchObject({
      ref,
      call: 'lookupVoucher',
      level: 'error',
    });
  });

  it('catches response drift and strips fields the contract does not know', async () => {
    const { sink, log } = logger();
    const drift = handlers({
      getAppStatus: async () => ({ ...status, mode: 'party' }) as never,
    });
    expect(await dispatch(drift, 'getAppStatus', {}, log)).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(sink.entries().some((e) => e['msg'] === 'dispatch.response_drift')).toBe(true);

    const leaky = handlers({
      getAppStatus: async () => ({ ...status, sharedSecret: 'x' }) as never,
    });
    expect(await dispatch(leaky, 'getAppStatus', {}, log)).toEqual({
      ok: true,
      value: status,
    });
  });
});
