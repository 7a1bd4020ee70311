/**
 * The demo's partners: the Yahoo sandbox and, linked to it, the WAUG sandbox (API-NOTES §3).
 * Both run on ONE clock and the WAUG seed reads exactly the Yahoo seed's vouchers, so every demo
 * voucher of a WAUG-fulfilled product (and every DEMO_SERIALS voucher) has its WAUG order, with
 * partnerOrderNumber = the voucher's orderItemId. The shells start the demo through this.
 */
import type { DemoSandbox } from './app.js';

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
    return {
      baseUrl: yahoo.baseUrl,
      apiKey: yahoo.apiKey,
      sharedSecret: yahoo.sharedSecret,
      ...(waug === null
        ? {}
        : { waug: { baseUrl: waug.baseUrl, clientId: waug.clientId, clientSecret: waug.clientSecret } }),
      async close() {
        await Promise.all([yahoo.close(), waug?.close()]);
      },
    };
  } finally {
    pinned = null;
  }
}
