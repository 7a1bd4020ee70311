/**
 * The core against the real Yahoo sandbox over HTTP on 127.0.0.1:0, with the real signing
 * client and real SQLite files in a temp folder.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import {
  DEMO_SERIALS,
  NO_FAULTS,
  startYahooSandbox,
  type YahooSandbox,
} from '../../electron/core/sandbox/yahoo/index.js';
import { tempDir } from '../helpers/tempDir.js';

const log = createLogger({ sink: createMemorySink() });
let sandbox: YahooSandbox;
let core: Core;
let dir: ReturnType<typeof tempDir>;

/** A core on `folder`, live against the sandbox, the background sync off. */
const liveCore = (folder: ReturnType<typeof tempDir>, options: Partial<CoreOptions> = {}) =>
  createCore({
    dataDir: folder.path,
    settingsStore: createConfSettingsStore(folder.path),
    secretCipher: createMemoryOnlyCipher(),
    env: {
      YAHOO_BASE_URL: sandbox.baseUrl,
      YAHOO_API_KEY: sandbox.apiKey,
      YAHOO_SHARED_SECRET: sandbox.sharedSecret,
    },
    log,
    version: 'test',
    backgroundSync: false,
    ...options,
  });

beforeAll(async () => {
  sandbox = await startYahooSandbox();
  dir = tempDir();
  core = await liveCore(dir);
});

afterAll(async () => {
  await core?.close();
  await sandbox?.close();
  dir?.remove();
});

afterEach(() => {
  sandbox.setFaults(NO_FAULTS);
});

const call = (name: string, payload: unknown) => dispatch(core.handlers, name, payload, log);

describe('counter against the Yahoo sandbox', () => {
  it('runs live', async () => {
    expect(await call('getAppStatus', {})).toMatchObject({
      ok: true,
      value: { mode: 'live' },
    });
  });

  it('looks up remotely, then answers the scan path from the cache without a request', async () => {
    const remote = await call('lookupVoucher', {
      serial: DEMO_SERIALS.unusedA,
      prefer: 'remote',
    });
    expect(remote).toMatchObject({
      ok: true,
      value: { kind: 'found', source: 'remote', verdict: { redeemable: true } },
    });
    const requests = sandbox.requests.length;
    const cached = await call('lookupVoucher', {
      serial: DEMO_SERIALS.unusedA,
      prefer: 'cache',
    });
    expect(cached).toMatchObject({
      ok: true,
      value: { kind: 'found', source: 'cache' },
    });
    expect(sandbox.requests.length).toBe(requests);
    const phone = sandbox.getVoucher(DEMO_SERIALS.unusedA)?.buyerDetails.phone;
    expect(phone).toBeTruthy(); // so the check below cannot pass for want of a phone
    expect(JSON.stringify(cached)).not.toContain(phone!);
  });

  it('keeps the 2^64−1 voucher id digit for digit', async () => {
    const result = await call('lookupVoucher', { serial: DEMO_SERIALS.hugeId });
    expect(result).toMatchObject({
      ok: true,
      value: { voucher: { voucherId: '18446744073709551615' } },
    });
  });

  it('misses as not_found', async () => {
    expect(await call('lookupVoucher', { serial: 'NOSUCHSERIAL9' })).toEqual({
      ok: true,
      value: { kind: 'not_found', serial: 'NOSUCHSERIAL9', source: 'remote' },
    });
  });

  it('redeems, and Yahoo records our station and redemption id', async () => {
    const result = await call('redeemVoucher', {
      serial: DEMO_SERIALS.unusedB,
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        outcome: 'redeemed',
        status: 'USED',
        voucher: { status: 'USED' },
      },
    });
    if (!result.ok) return;
    const { redemptionId } = result.value as { redemptionId: string };
    expect(sandbox.getVoucher(DEMO_SERIALS.unusedB)?.status).toBe('USED');
    expect(sandbox.ledger.at(-1)).toMatchObject({
      serialNumber: DEMO_SERIALS.unusedB,
      redeemAt: `Front desk 1 · ${redemptionId}`,
    });
    // A second try is refused at the desk.
    const again = await call('redeemVoucher', { serial: DEMO_SERIALS.unusedB });
    expect(again).toMatchObject({
      ok: true,
      value: { outcome: 'rejected', reason: 'used' },
    });
    expect(sandbox.ledger.filter((l) => l.serialNumber === DEMO_SERIALS.unusedB)).toHaveLength(1);
  });

  it('refuses with the real reason', async () => {
    expect(await call('redeemVoucher', { serial: DEMO_SERIALS.refunded })).toMatchObject({
      ok: true,
      value: { outcome: 'rejected', reason: 'refunded' },
    });
    expect(await call('redeemVoucher', { serial: DEMO_SERIALS.expired })).toMatchObject({
      ok: true,
      value: { outcome: 'rejected', reason: 'expired' },
    });
    expect(await call('redeemVoucher', { serial: DEMO_SERIALS.refundPending })).toMatchObject({
      ok: true,
      value: { outcome: 'rejected', reason: 'refund_pending' },
    });
  });

  it('turns Yahoo’s reasonless 12001 into the real reason', async () => {
    await call('lookupVoucher', { serial: DEMO_SERIALS.unusedC });
    sandbox.setVoucherStatus(DEMO_SERIALS.unusedC, 'CANCELLED'); // after our lookup cached it UNUSED
    const before = sandbox.requests.filter((r) => r.path.endsWith('/redeem')).length;
    const result = await call('redeemVoucher', {
      serial: DEMO_SERIALS.unusedC,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { outcome: 'rejected', reason: 'cancelled', status: 'CANCELLED' },
    });
    const redeems = sandbox.requests.filter((r) => r.path.endsWith('/redeem'));
    expect(redeems.length).toBe(before + 1);
    expect(redeems.at(-1)?.status).toBe(400);
  });

  it('a connection cut after Yahoo applied the redeem, Yahoo unaskable: queued, then confirmed by query, one ledger entry', async () => {
    const serial = DEMO_SERIALS.group1;
    await call('lookupVoucher', { serial });
    // Every answer is cut (the follow-up query too), so the outcome cannot be known yet.
    sandbox.setFaults({ resetAfterApply: true });
    const first = await call('redeemVoucher', { serial });
    expect(first).toMatchObject({ ok: true, value: { outcome: 'queued', status: null } });
    if (!first.ok) return;
    const queuedId = (first.value as { redemptionId: string }).redemptionId;
    expect(sandbox.ledger.filter((l) => l.serialNumber === serial)).toHaveLength(1);

    // A second scan of the same voucher is refused at the desk: it was honoured once.
    const again = await call('redeemVoucher', { serial });
    expect(again).toMatchObject({ ok: true, value: { outcome: 'rejected', reason: 'used' } });

    // The connection is back: the outbox asks first, finds it USED by us, and sends nothing.
    sandbox.setFaults(NO_FAULTS);
    const redeemsBefore = sandbox.requests.filter((r) => r.path.endsWith('/redeem')).length;
    const stats = await core.deliverOutbox();
    expect(stats).toMatchObject({ delivered: 1, confirmedByQuery: 1, conflicts: 0 });
    expect(sandbox.requests.filter((r) => r.path.endsWith('/redeem')).length).toBe(redeemsBefore);
    expect(sandbox.ledger.filter((l) => l.serialNumber === serial)).toHaveLength(1);
    const outbox = await call('listOutbox', { filter: 'all' });
    expect(
      outbox.ok &&
        (outbox.value as { redemptionId: string; state: string }[]).find((e) => e.redemptionId === queuedId)?.state,
    ).toBe('confirmed');
    const shift = await call('listShiftRedemptions', {});
    expect(
      shift.ok &&
        (shift.value as { redemptionId: string; outcome: string }[]).find((r) => r.redemptionId === queuedId)?.outcome,
    ).toBe('redeemed');
  });

  it('a connection cut after Yahoo applied the redeem, with the query answering: redeemed at once', async () => {
    const demoDir = tempDir();
    const { createYahooClient } = await import('../../electron/core/yahoo/client.js');
    const healing = await liveCore(demoDir, {
      // The network heals as soon as the redeem's answer is lost.
      createYahooApi: (credentials) => {
        const real = createYahooClient(credentials);
        return {
          queryVouchers: (query, options) => real.queryVouchers(query, options),
          redeem: async (items, options) => {
            try {
              return await real.redeem(items, options);
            } finally {
              sandbox.setFaults(NO_FAULTS);
            }
          },
          close: () => real.close(),
        };
      },
    });
    try {
      const serial = DEMO_SERIALS.group3;
      await healing.handlers.lookupVoucher({ serial, prefer: 'remote' });
      sandbox.setFaults({ resetAfterApply: true });
      const result = await dispatch(healing.handlers, 'redeemVoucher', { serial }, log);
      expect(result).toMatchObject({
        ok: true,
        value: { outcome: 'redeemed', status: 'USED' },
      });
      expect(sandbox.ledger.filter((l) => l.serialNumber === serial)).toHaveLength(1);
    } finally {
      await healing.close();
      demoDir.remove();
    }
  });

  it('answers from the cache when Yahoo fails', async () => {
    await call('lookupVoucher', { serial: DEMO_SERIALS.group2 });
    sandbox.setFaults({ status5xx: true });
    expect(
      await call('lookupVoucher', {
        serial: DEMO_SERIALS.group2,
        prefer: 'remote',
      }),
    ).toMatchObject({
      ok: true,
      value: { kind: 'found', source: 'cache' },
    });
    expect(
      await call('lookupVoucher', {
        serial: DEMO_SERIALS.seedExample,
        prefer: 'remote',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'upstream' },
    });
  });

  it('lists the shift with masked names and titles', async () => {
    const result = await call('listShiftRedemptions', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const list = result.value as {
      serialNumber: string;
      outcome: string;
      title: string | null;
      buyerNameMasked: string | null;
    }[];
    const row = list.find((r) => r.serialNumber === DEMO_SERIALS.unusedB && r.outcome === 'redeemed');
    expect(row?.title).toBe(sandbox.getVoucher(DEMO_SERIALS.unusedB)?.title);
    const name = sandbox.getVoucher(DEMO_SERIALS.unusedB)?.buyerDetails.name;
    expect([...(name ?? '')].length).toBeGreaterThan(1); // a name long enough to be masked, so the check runs
    expect(row?.buyerNameMasked).not.toBe(name);
  });
});

describe('demo mode', () => {
  it('starts its own sandbox, redeems against it, and stops it on close', async () => {
    const demoDir = tempDir();
    let demo: YahooSandbox | null = null;
    const demoCore = await createCore({
      dataDir: demoDir.path,
      settingsStore: createConfSettingsStore(demoDir.path),
      secretCipher: createMemoryOnlyCipher(),
      env: {},
      log,
      version: 'test',
      backgroundSync: false,
      startDemoSandbox: async () => (demo = await startYahooSandbox()),
    });
    try {
      expect(await dispatch(demoCore.handlers, 'getAppStatus', {}, log)).toMatchObject({
        ok: true,
        value: { mode: 'demo' },
      });
      expect(demo).not.toBeNull();
      const lookup = await dispatch(demoCore.handlers, 'lookupVoucher', { serial: DEMO_SERIALS.unusedA }, log);
      expect(lookup).toMatchObject({
        ok: true,
        value: { kind: 'found', source: 'remote' },
      });
      const redeem = await dispatch(demoCore.handlers, 'redeemVoucher', { serial: DEMO_SERIALS.unusedA }, log);
      expect(redeem).toMatchObject({
        ok: true,
        value: { outcome: 'redeemed' },
      });
      expect(demo!.ledger).toHaveLength(1);
    } finally {
      await demoCore.close();
      demoDir.remove();
    }
    await expect(fetch(`${demo!.baseUrl}/stauth2/v1/vouchers`)).rejects.toThrow();
  });
});
