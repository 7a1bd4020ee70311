import { describe, expect, it, vi } from 'vitest';
import {
  buildRpcRequest,
  createHttpBridge,
  eventsUrl,
  readRpcResponse,
  takeToken,
  tokenFromHash,
  TOKEN_STORAGE_KEY,
  type EventSourceLike,
} from './api.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    data,
  };
}

const answer = (status: number, body: unknown) => ({
  status,
  text: async () => (typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('token handling', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('#x=1&token=t%2Bk')).toBe('t+k');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });

  it('keeps the token in sessionStorage and removes it from the address', () => {
    const storage = memoryStorage();
    const replaceState = vi.fn();
    const token = takeToken({
      location: { hash: '#token=XYZ', pathname: '/', search: '' },
      storage,
      history: { replaceState },
    });
    expect(token).toBe('XYZ');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('XYZ');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
  });

  it('keeps other fragment parameters when removing the token', () => {
    const replaceState = vi.fn();
    takeToken({
      location: { hash: '#token=XYZ&view=settings', pathname: '/index.html', search: '?a=1' },
      storage: null,
      history: { replaceState },
    });
    expect(replaceState).toHaveBeenCalledWith(null, '', '/index.html?a=1#view=settings');
  });

  it('falls back to the stored token after a reload', () => {
    const replaceState = vi.fn();
    const token = takeToken({
      location: { hash: '', pathname: '/', search: '' },
      storage: memoryStorage({ [TOKEN_STORAGE_KEY]: 'stored' }),
      history: { replaceState },
    });
    expect(token).toBe('stored');
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(
      takeToken({ location: { hash: '#token=A', pathname: '/', search: '' }, storage: broken, history: null }),
    ).toBe('A');
    expect(takeToken({ location: { hash: '', pathname: '/', search: '' }, storage: broken, history: null })).toBeNull();
  });
});

describe('request building', () => {
  it('posts JSON to /rpc/<method> with the token header', () => {
    const { url, init } = buildRpcRequest('lookupVoucher', 'tok', { serial: 'ABC', prefer: 'cache' });
    expect(url).toBe('/rpc/lookupVoucher');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'X-Desk-Token': 'tok', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"serial":"ABC","prefer":"cache"}');
  });

  it('puts the token in the events URL, encoded', () => {
    expect(eventsUrl('a b&c')).toBe('/events?token=a%20b%26c');
  });
});

describe('the HTTP bridge', () => {
  it('calls every DeskApi method by name and passes the IpcResult through', async () => {
    const fetch = vi.fn(async () =>
      answer(200, { ok: true, value: { kind: 'not_found', serial: 'ABC', source: 'remote' } }),
    );
    const api = createHttpBridge({ token: 'tok', fetch });
    const result = await api.lookupVoucher({ serial: 'ABC', prefer: 'remote' });
    expect(result).toEqual({ ok: true, value: { kind: 'not_found', serial: 'ABC', source: 'remote' } });
    expect(fetch).toHaveBeenCalledWith('/rpc/lookupVoucher', expect.objectContaining({ method: 'POST' }));

    await api.getAppStatus({});
    await api.redeemVoucher({ serial: 'ABC' });
    expect(fetch.mock.calls.map((call) => (call as unknown[])[0])).toEqual([
      '/rpc/lookupVoucher',
      '/rpc/getAppStatus',
      '/rpc/redeemVoucher',
    ]);
  });

  it('passes an error answer through, whatever the HTTP status', async () => {
    const api = createHttpBridge({
      token: 'tok',
      fetch: async () => answer(400, { ok: false, error: { code: 'bad_input', message: 'serial' } }),
    });
    expect(await api.redeemVoucher({ serial: 'X' })).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'serial' },
    });
  });

  it('turns a fetch failure into a network error', async () => {
    const api = createHttpBridge({
      token: 'tok',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const result = await api.getAppStatus({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('network');
  });

  it('maps a body that is not an IpcResult by HTTP status', async () => {
    expect(await readRpcResponse(answer(403, 'Forbidden'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await readRpcResponse(answer(502, '<html>'))).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await readRpcResponse(answer(200, { hello: 1 }))).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await readRpcResponse(answer(200, { ok: false, error: { code: 'weird', message: 'm' } }))).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('makes no call without a token', async () => {
    const fetch = vi.fn();
    const api = createHttpBridge({ token: null, fetch });
    expect(await api.getSettings({})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('relays SSE events to listeners through one EventSource', () => {
    const handlers = new Map<string, (event: MessageEvent<string>) => void>();
    const source: EventSourceLike & { closed: boolean } = {
      closed: false,
      addEventListener: (type, listener) => void handlers.set(type, listener),
      removeEventListener: (type) => void handlers.delete(type),
      close() {
        this.closed = true;
      },
    };
    const createEventSource = vi.fn(() => source);
    const api = createHttpBridge({ token: 'tok', fetch: vi.fn(), createEventSource });
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = api.on('statusChanged', first);
    const offSecond = api.on('statusChanged', second);
    expect(createEventSource).toHaveBeenCalledTimes(1);
    expect(createEventSource).toHaveBeenCalledWith('/events?token=tok');

    handlers.get('statusChanged')?.({ data: '{"mode":"demo"}' } as MessageEvent<string>);
    expect(first).toHaveBeenCalledWith({ mode: 'demo' });
    expect(second).toHaveBeenCalledWith({ mode: 'demo' });

    handlers.get('statusChanged')?.({ data: 'not json' } as MessageEvent<string>);
    expect(first).toHaveBeenCalledTimes(1);

    offFirst();
    expect(source.closed).toBe(false);
    offSecond();
    expect(source.closed).toBe(true);
    expect(handlers.size).toBe(0);
  });

  it('covers the offline-first calls and the sync event too', async () => {
    const fetch = vi.fn(async () => answer(200, { ok: true, value: {} }));
    const api = createHttpBridge({ token: 'tok', fetch });
    await api.searchVouchers({ query: '990' });
    await api.getSyncStatus({});
    await api.setWorkOffline({ workOffline: true });
    await api.syncNow({});
    await api.listOutbox({ filter: 'conflicts', limit: 10 });
    await api.resolveConflict({ redemptionId: 'R-1', resolution: 'written_off', note: 'n' });
    expect(fetch.mock.calls.map((call) => (call as unknown[])[0])).toEqual([
      '/rpc/searchVouchers',
      '/rpc/getSyncStatus',
      '/rpc/setWorkOffline',
      '/rpc/syncNow',
      '/rpc/listOutbox',
      '/rpc/resolveConflict',
    ]);
    const body = (fetch.mock.calls[2] as unknown as [string, RequestInit])[1].body;
    expect(JSON.parse(String(body))).toEqual({ workOffline: true });

    const handlers = new Map<string, (event: MessageEvent<string>) => void>();
    const source: EventSourceLike = {
      addEventListener: (type, listener) => void handlers.set(type, listener),
      removeEventListener: (type) => void handlers.delete(type),
      close: () => {},
    };
    const withEvents = createHttpBridge({ token: 'tok', fetch, createEventSource: () => source });
    const listener = vi.fn();
    withEvents.on('syncStatusChanged', listener);
    handlers.get('syncStatusChanged')?.({ data: '{"queued":2}' } as MessageEvent<string>);
    expect(listener).toHaveBeenCalledWith({ queued: 2 });
  });

  it('carries the merchant endpoint calls and the live events', async () => {
    const fetch = vi.fn(async () => answer(200, { ok: true, value: [] }));
    const handlers = new Map<string, (event: MessageEvent<string>) => void>();
    const source: EventSourceLike = {
      addEventListener: (type, listener) => void handlers.set(type, listener),
      removeEventListener: (type) => void handlers.delete(type),
      close: () => {},
    };
    const api = createHttpBridge({ token: 'tok', fetch, createEventSource: () => source });
    await api.listMappings({});
    await api.setMapping({
      yahooProductId: 'P',
      yahooSpecId: 'S',
      waugGoodsId: '1',
      waugGoodsOptionId: '2',
      waugGoodsOptionItemId: '3',
    });
    await api.removeMapping({ yahooProductId: 'P', yahooSpecId: 'S' });
    await api.listBookings({ filter: 'failed' });
    await api.retryBooking({ orderItemId: 'OI-1' });
    await api.getServeStatus({});
    await api.setServe({ enabled: true, port: 8788, host: '127.0.0.1' });
    expect(fetch.mock.calls.map((call) => (call as unknown[])[0])).toEqual([
      '/rpc/listMappings',
      '/rpc/setMapping',
      '/rpc/removeMapping',
      '/rpc/listBookings',
      '/rpc/retryBooking',
      '/rpc/getServeStatus',
      '/rpc/setServe',
    ]);

    const seen: unknown[] = [];
    api.on('voucherChanged', (payload) => seen.push(payload));
    api.on('orderChanged', (payload) => seen.push(payload));
    api.on('serveStatusChanged', (payload) => seen.push(payload));
    handlers.get('voucherChanged')?.({
      data: '{"serialNumber":"A","voucherId":null,"status":"CANCELLED"}',
    } as MessageEvent<string>);
    handlers.get('orderChanged')?.({ data: '{"orderNumber":"W-1"}' } as MessageEvent<string>);
    handlers.get('serveStatusChanged')?.({ data: '{"running":true}' } as MessageEvent<string>);
    expect(seen).toEqual([
      { serialNumber: 'A', voucherId: null, status: 'CANCELLED' },
      { orderNumber: 'W-1' },
      { running: true },
    ]);
  });
});
