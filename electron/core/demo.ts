/**
 * The demo's partners: the Yahoo sandbox and, linked to it, the WAUG sandbox (API-NOTES §3).
 * Both run on ONE clock and the WAUG seed reads exactly the Yahoo seed's vouchers, so every demo
 * voucher of a WAUG-fulfilled product (and every DEMO_SERIALS voucher) has its WAUG order, with
 * partnerOrderNumber = the voucher's orderItemId. The shells start the demo through this.
 */
import type { ProductMapping } from '../../shared/contract.js';
import type { DemoSandbox } from './app.js';
import type { BookingContact } from './bookings/contact.js';

/**
 * The demo's product mapping (issue 5): the sandbox's Taipei 101 ticket (Yahoo p093568055654,
 * spec 1) is fulfilled by WAUG goods 107278, adult ticket. Its goods asks only for the ORDER
 * contact fields, which the demo's booking contact fills.
 */
export const DEMO_MAPPING: Readonly<ProductMapping> = Object.freeze({
  yahooProductId: 'p093568055654',
  yahooSpecId: '1',
  waugGoodsId: '107278',
  waugGoodsOptionId: '28900',
  waugGoodsOptionItemId: '61800',
  label: '台北101觀景台門票 Taipei 101 Observatory Ticket',
});

/** The demo merchant's own (fictional) booking contact; used only while in demo mode. */
export const DEMO_BOOKING_CONTACT: Readonly<BookingContact> = Object.freeze({
  name: 'VOUCHER DESK DEMO',
  mobile: '886223456789',
  email: 'desk@example.com',
});

/** In the demo, the Yahoo sandbox sells one mapped voucher at start and then this often. */
export const DEMO_SELL_EVERY_MS = 5 * 60_000;

export async function startDemoSandboxes(options: { now?: () => number } = {}): Promise<DemoSandbox> {
  const [{ startYahooSandbox }, { startWaugSandbox }, { defaultLinkedVouchers }] = await Promise.all([
    import('./sandbox/yahoo/index.js'),
    import('./sandbox/waug/index.js'),
    import('./sandbox/waug/seed.js'),
  ]);
  const clock = options.now ?? Date.now;
  // Pinned while both start, so that both seed from the very same instant.
  const startedAt = clock();
  let pinned: number | null = startedAt;
  const now = () => pinned ?? clock();
  try {
    const yahoo = await startYahooSandbox({ now });
    let waug: Awaited<ReturnType<typeof startWaugSandbox>> | null = null;
    try {
      waug = await startWaugSandbox({ now, linkedVouchers: defaultLinkedVouchers(startedAt) });
    } catch {
      // The demo still works for vouchers; the core reports WAUG as unconfigured.
      waug = null;
    }
    let sellTimer: ReturnType<typeof setInterval> | null = null;
    return {
      async playOtherSide({ merchantUrl, webhookUrl, sellEveryMs = DEMO_SELL_EVERY_MS }) {
        waug?.setWebhookTarget(webhookUrl);
        const sell = () =>
          yahoo.sell({ merchantUrl, productId: DEMO_MAPPING.yahooProductId, specId: DEMO_MAPPING.yahooSpecId });
        const first = await sell();
        if (sellTimer !== null) clearInterval(sellTimer);
        if (sellEveryMs > 0) {
          sellTimer = setInterval(() => void sell().catch(() => {}), sellEveryMs);
          sellTimer.unref();
        }
        return { sold: first.vouchers.map((v) => v.serialNumber), status: first.status };
      },
      baseUrl: yahoo.baseUrl,
      apiKey: yahoo.apiKey,
      sharedSecret: yahoo.sharedSecret,
      ...(waug === null
        ? {}
        : { waug: { baseUrl: waug.baseUrl, clientId: waug.clientId, clientSecret: waug.clientSecret } }),
      async close() {
        if (sellTimer !== null) clearInterval(sellTimer);
        await Promise.all([yahoo.close(), waug?.close()]);
      },
    };
  } finally {
    pinned = null;
  }
}
