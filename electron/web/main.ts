/**
 * `npm run start:web`: the browser shell. Runs the core under Node and serves the built
 * renderer on 127.0.0.1 with a per-launch token. Open the printed URL in Chromium.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../node/dataDir.js';
import { createNodeCore } from '../node/bootstrap.js';
import { startWebShell } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5178' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string' },
  },
});

const rendererDir = resolve(values['renderer-dir'] ?? 'out/renderer');
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  process.stderr.write(`No built renderer in ${rendererDir}. Run: npm run build:renderer\n`);
  process.exit(2);
}
if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
  process.stderr.write('The browser shell only listens on the loopback interface.\n');
  process.exit(2);
}

const { core, log } = await createNodeCore({ dataDir: values['data-dir'] ?? defaultDataDir(), asDeskApp: true });
const shell = await startWebShell({ core, log, rendererDir, host: values.host, port: Number(values.port) });
const status = await core.handlers.getAppStatus({});
process.stdout.write(
  [
    '',
    `Voucher Desk (browser shell) is running${status.mode === 'demo' ? ' in DEMO MODE on the built-in Yahoo sandbox' : ''}.`,
    `Open: ${shell.url}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await shell.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
