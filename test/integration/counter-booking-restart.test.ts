/**
 * A counter booking across a stop of the desk (issue 6 item 3: "a draft booking survives a crash
 * or a lost connection"): the desk dies while a create is in flight ('submitting' is durable
 * before anything is sent), and the next start settles the draft by its partner number against
 * the WAUG sandbox — to the one order WAUG made, or back to editing when nothing reached WAUG.
 * Everything the clerk saved is still there.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeName } from '../../shared/channels.js';
import type { BookingDraft, BookingDraftSummary, DraftBody, Request, Response } from '../../shared/contract.js';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
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
}

/** A core on `dataDir`, WAUG live against the sandbox, as the desktop app would start on it. */
async function startDesk(dataDir: string, createWaugApi?: CoreOptions['createWaugApi']): Promise<Desk> {
  const log = createLogger({ sink: createMemorySink(), level: 'debug' });
  const core = await createCore({
    dataDir,
    settingsStore: createConfSettingsStore(dataDir),
    secretCipher: createMemoryOnlyCipher(),
    env: { WAUG_BASE_URL: waug.baseUrl, WAUG_CLIENT_ID: waug.clientId, WAUG_CLIENT_SECRET: waug.clientSecret },
    log,
    version: 'test',
    backgroundSync: false,
    createWaugApi: createWaugApi ?? ((credentials) => createWaugClient(credentials)),
  });
  return {
    core,
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
    const first = await startDesk(dir.path, dyingCreate(true));
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

  it('puts a draft back to editing when nothing reached WAUG, with everything the clerk saved', async () => {
    const dir = tempDir('voucher-desk-restart-');
    dirs.push(dir);
    const first = await startDesk(dir.path, dyingCreate(false));
    const draft = await savedDraft(first);
    const before = waug.orderCount;
    await dieWhileSubmitting(first, draft);

    const second = await startDesk(dir.path);
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
});
