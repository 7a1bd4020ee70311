/**
 * `npx tsx bench/serve.bench.ts`: issue throughput of the merchant server over loopback.
 * 2 000 signed issue requests (one order item each, distinct orderItemIds) at concurrency 8,
 * against a real file database with synchronous=FULL, as in production. Prints, never asserts.
 */
import http from 'node:http';
import { join } from 'node:path';
import { openDeskStore } from '../electron/core/db/store.js';
import { silentLogger } from '../electron/core/log/logger.js';
import { createSerialService } from '../electron/core/serials/service.js';
import { MERCHANT_PATHS } from '../electron/core/serve/constants.js';
import { createRouteTable } from '../electron/core/serve/routes.js';
import { startMerchantServer } from '../electron/core/serve/server.js';
import { yahooMerchantRoutes } from '../electron/core/serve/yahooEndpoints.js';
import { signatureData, signYahoo } from '../electron/core/yahoo/sign.js';
import { tempDir } from '../test/helpers/tempDir.js';

const REQUESTS = 2000;
const CONCURRENCY = 8;
const creds = { apiKey: 'bench-api-key', sharedSecret: 'bench-shared-secret' };

const dir = tempDir('voucher-desk-serve-bench-');
const store = openDeskStore(join(dir.path, 'bench.sqlite'));
const serials = createSerialService({ store: () => store, log: silentLogger });
const server = await startMerchantServer(
  { routes: createRouteTable(yahooMerchantRoutes({ credentials: () => creds, serials })), log: silentLogger },
  { port: 0, host: '127.0.0.1' },
);
const { hostname, port } = new URL(server.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function issue(i: number): Promise<number> {
  const orderId = `YM${String(i).padStart(12, '0')}`;
  const body = Buffer.from(
    JSON.stringify({
      storeId: 'top1',
      transactionId: String(i),
      orderId,
      productId: 'p12345679',
      specId: '1',
      quantity: 1,
      orderItems: [{ orderItemId: `YS${String(i).padStart(12, '0')}`, price: 70, originalPrice: 100 }],
    }),
  );
  const target = `${MERCHANT_PATHS.serialNumbers}?TimeStamp=${Math.floor(Date.now() / 1000)}&ApiKey=${creds.apiKey}`;
  const signature = signYahoo(signatureData(target, body), creds.sharedSecret);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname,
        port,
        path: target,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-STOREAUTH-SIG': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Warm-up (JIT, prepared statements, sockets), not counted.
for (let i = 0; i < 100; i++) await issue(1_000_000 + i);

const latencies: number[] = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) latencies.push(await issue(next++));
  }),
);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

console.log(`issue: ${REQUESTS} signed requests, concurrency ${CONCURRENCY}, loopback, SQLite synchronous=FULL`);
console.log(`  ${(REQUESTS / seconds).toFixed(0)} requests/s`);
console.log(
  `  latency p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
);
console.log(`  serials in the database: ${serials.listByOrder('YM000000000000').length === 1 ? 'ok' : 'MISSING'}`);

agent.destroy();
await server.close();
store.close();
dir.remove();
