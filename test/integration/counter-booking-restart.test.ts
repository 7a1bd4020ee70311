/**
 * A counter booking across a stop of the desk (issue 6 item 3: "a draft booking survives a crash
 * or a lost connection"): the desk dies while a create is in flight ('submitting' is durable
 * before anything is sent), and the next start settles the draft by its partner number against
 * the WAUG sandbox — to the one order WAUG made, or back to editing when nothing reached WAUG
 * (but only once a slow create would have finished: sooner, the draft is left as it was).
 * Everything the clerk saved is still there.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeName } from '../../shared/channels.js';
import type { BookingDraft, BookingDraftSummary, DraftBody, Request, Response } from '../../shared/contract.js';
import type { IpcResult } from '../../shared/errors.js';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { NOT_FOUND_SETTLES_AFTER_MS } from '../../electron/core/counterBooking/recovery.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { tempDir } from '../helpers/tempDir.js';

let waug: WaugSandbox;
const dirs: ReturnType<typeof tempDir>[] = [];

beforeAll(async () => {
  waug = await startWaugSandbox({ demoOrders: false, webhookScanEveryMs: 0 });
});
afterAll(async () => {
  await waug?.close();
  for (const dir of dirs) dir.remove();
});

interface Desk {
  core: Core;
  call<N extends InvokeName>(name: N, request: Request<N>): Promise<Response<N>>;
  raw(name: InvokeName, request: unknown): Promise<IpcResult<unknown>>;
}

/** A core on `dataDir`, WAUG live against the sandbox, as the desktop app would start on it. */
async function startDesk(
  dataDir: string,
  options: { createWaugApi?: CoreOptions['createWaugApi']; now?: () => Date; oneShot?: boolean } = {},
): Promise<Desk> {
  const log = createLogger({ sink: createMemorySink(), level: 'debug' });
  const core = await createCore({
    dataDir,
    settingsStore: createConfSettingsStore(dataDir),
    secretCipher: createMemoryOnlyCipher(),
    env: { WAUG_BASE_URL: waug.baseUrl, WAUG_CLIENT_ID: waug.clientId, WAUG_CLIENT_SECRET: waug.clientSecret },
    log,
    version: 'test',
    backgroundSync: false,
    // What a restarted desk does at start is what these tests are about (a one-shot command skips it).
    bookingRecovery: options.oneShot !== true,
    createWaugApi: options.createWaugApi ?? ((credentials) => createWaugClient(credentials)),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    core,
    raw: (name, request) => dispatch(core.handlers, name, request, log),
    async call(name, request) {
      const result = await dispatch(core.handlers, name, request, log);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
  };
}

/** The desk dies during the create: `reachesWaug` says whether the request got there first. */
const dyingCreate =
  (reachesWaug: boolean): CoreOptions['createWaugApi'] =>
  (credentials) => {
    const client = createWaugClient(credentials);
    const create = client.createOrder.bind(client);
    client.createOrder = async (request, options) => {
      if (reachesWaug) await create(request, options);
      return new Promise(() => {}); // no answer ever comes: the process is gone
    };
    return client;
  };

const CONTACT = { 'ORDER:4': 'HONG GILDONG', 'ORDER:2': '886912345678', 'ORDER:8': 'guest@example.com' };

/** A Taipei 101 ticket for two, saved as the clerk would have typed it. */
async function savedDraft(desk: Desk): Promise<BookingDraft> {
  const goodsId = '107278';
  const detail = await desk.call('getGoods', { goodsId, prefer: 'remote' });
  if (detail.kind !== 'found') throw new Error('no goods');
  const option = detail.goods.options[0]!;
  const useDate = DateTime.now().setZone('Asia/Seoul').plus({ days: 4 }).toFormat('yyyy-MM-dd');
  const { prices } = await desk.call('getGoodsPrices', {
    goodsId,
    startDate: useDate,
    endDate: useDate,
    prefer: 'remote',
  });
  const item = option.items[0]!;
  const draft = await desk.call('newBookingDraft', { goodsId });
  const body: DraftBody = {
    ...draft.body,
    goods: [
      {
        ...draft.body.goods[0]!,
        useDate,
        options: [
          {
            goodsOptionId: option.goodsOptionId,
            goodsOptionItemId: item.goodsOptionItemId,
            goodsOptionTimeslotId: null,
            quantity: 2,
            price: prices.find((p) => p.goodsOptionItemId === item.goodsOptionItemId)!.price,
          },
        ],
      },
    ],
    values: CONTACT,
    step: 'confirm',
  };
  return desk.call('saveBookingDraft', { draftId: draft.draftId, body });
}

/** Starts the create and lets the desk "die" once the draft is durably 'submitting'. */
async function dieWhileSubmitting(desk: Desk, draft: BookingDraft): Promise<void> {
  const validated = await desk.call('validateBooking', { draftId: draft.draftId });
  if (validated.kind !== 'orderable') throw new Error(`not orderable: ${validated.kind}`);
  void desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: validated.totalPrice });
  await waitFor(async () => (await desk.call('getBookingDraft', { draftId: draft.draftId })).state === 'submitting');
  await desk.core.close();
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a counter booking across a restart', () => {
  it('settles a create that reached WAUG before the desk died: exactly the one order, draft created', async () => {
    const dir = tempDir('voucher-desk-restart-');
    dirs.push(dir);
    const first = await startDesk(dir.path, { createWaugApi: dyingCreate(true) });
    const draft = await savedDraft(first);
    const before = waug.orderCount;
    await dieWhileSubmitting(first, draft);
    const atWaug = waug.getOrderByPartnerNumber(draft.partnerOrderNumber);
    expect(atWaug).toBeDefined();

    const second = await startDesk(dir.path);
    const events: BookingDraftSummary[] = [];
    second.core.onEvent('bookingDraftChanged', (summary) => events.push(summary));
    try {
      await waitFor(async () => (await second.call('getBookingDraft', { draftId: draft.draftId })).state === 'created');
      const settled = await second.call('getBookingDraft', { draftId: draft.draftId });
      expect(settled).toMatchObject({ orderNumber: atWaug!.orderNumber, lastError: null, body: draft.body });
      expect(waug.orderCount).toBe(before + 1);
      expect(events.some((e) => e.draftId === draft.draftId && e.state === 'created')).toBe(true);
      expect(
        await second.call('getOrder', { partnerOrderNumber: draft.partnerOrderNumber, prefer: 'cache' }),
      ).toMatchObject({ kind: 'found', source: 'cache' });
      // Asking to book it again answers that order: nothing more is sent.
      const again = await second.call('createBooking', { draftId: draft.draftId, confirmedTotal: '1' });
      expect(again).toMatchObject({ kind: 'created', order: { orderNumber: atWaug!.orderNumber } });
      expect(waug.orderCount).toBe(before + 1);
    } finally {
      await second.core.close();
    }
  });

  it('leaves a draft alone while a slow create may still finish; settles it once that time has passed', async () => {
    const dir = tempDir('voucher-desk-restart-');
    dirs.push(dir);
    const first = await startDesk(dir.path, { createWaugApi: dyingCreate(false) });
    const draft = await savedDraft(first);
    await dieWhileSubmitting(first, draft);

    let skewMs = 0;
    const lookups = () =>
      waug.requests.filter((r) => r.path === `/v1/orders-partner/${draft.partnerOrderNumber}`).length;
    const asked = lookups();
    const second = await startDesk(dir.path, { now: () => new Date(Date.now() + skewMs) });
    try {
      // The background asked WAUG (nothing found), and left the draft as it was.
      await waitFor(async () => lookups() > asked);
      let early: IpcResult<unknown> | null = null;
      await waitFor(async () => {
        early = await second.raw('validateBooking', { draftId: draft.draftId });
        return early.ok || early.error.code !== 'busy'; // the background's lookup may still hold the draft
      });
      const kept = await second.call('getBookingDraft', { draftId: draft.draftId });
      expect(kept).toMatchObject({ state: 'submitting', orderNumber: null, body: draft.body });
      expect(early).toMatchObject({
        ok: false,
        error: { code: 'unconfirmed', message: expect.stringMatching(/no order for this booking yet/) },
      });

      skewMs = NOT_FOUND_SETTLES_AFTER_MS;
      expect(await second.call('validateBooking', { draftId: draft.draftId })).toMatchObject({ kind: 'orderable' });
      expect(await second.call('getBookingDraft', { draftId: draft.draftId })).toMatchObject({ state: 'editing' });
    } finally {
      await second.core.close();
    }
  });

  it('puts a draft back to editing when nothing reached WAUG, with everything the clerk saved', async () => {
    const dir = tempDir('voucher-desk-restart-');
    dirs.push(dir);
    const first = await startDesk(dir.path, { createWaugApi: dyingCreate(false) });
    const draft = await savedDraft(first);
    const before = waug.orderCount;
    await dieWhileSubmitting(first, draft);

    // Started after a slow create would have finished.
    const second = await startDesk(dir.path, { now: () => new Date(Date.now() + NOT_FOUND_SETTLES_AFTER_MS) });
    try {
      await waitFor(async () => (await second.call('getBookingDraft', { draftId: draft.draftId })).state === 'editing');
      const back = await second.call('getBookingDraft', { draftId: draft.draftId });
      expect(back).toMatchObject({
        partnerOrderNumber: draft.partnerOrderNumber,
        body: draft.body,
        orderNumber: null,
        lastError: expect.stringMatching(/nothing was booked/),
      });
      expect(waug.getOrderByPartnerNumber(draft.partnerOrderNumber)).toBeUndefined();
      expect(waug.orderCount).toBe(before);
      const open = await second.call('listBookingDrafts', { filter: 'open', limit: 10 });
      expect(open.map((d) => d.draftId)).toEqual([draft.draftId]);
      // And it books normally now, under the same number.
      const validated = await second.call('validateBooking', { draftId: draft.draftId });
      if (validated.kind !== 'orderable') throw new Error(validated.kind);
      const created = await second.call('createBooking', {
        draftId: draft.draftId,
        confirmedTotal: validated.totalPrice,
      });
      expect(created).toMatchObject({ kind: 'created', order: { partnerOrderNumber: draft.partnerOrderNumber } });
      expect(waug.orderCount).toBe(before + 1);
    } finally {
      await second.core.close();
    }
  });

  it('leaves interrupted drafts to the desk when a one-shot command opens the same data', async () => {
    const dir = tempDir('voucher-desk-restart-');
    dirs.push(dir);
    const first = await startDesk(dir.path, { createWaugApi: dyingCreate(false) });
    const draft = await savedDraft(first);
    await dieWhileSubmitting(first, draft);
    const lookups = () =>
      waug.requests.filter((r) => r.path === `/v1/orders-partner/${draft.partnerOrderNumber}`).length;
    const asked = lookups();
    const command = await startDesk(dir.path, {
      now: () => new Date(Date.now() + NOT_FOUND_SETTLES_AFTER_MS),
      oneShot: true,
    });
    try {
      // Longer than the recovery's first try (1 s): nothing was asked, nothing moved.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(lookups()).toBe(asked);
      expect(await command.call('getBookingDraft', { draftId: draft.draftId })).toMatchObject({
        state: 'submitting',
        body: draft.body,
      });
    } finally {
      await command.core.close();
    }
  });
});
