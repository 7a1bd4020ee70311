/**
 * `mapping list|set|remove` as a real process (issue 5 item 6), on one data folder in live mode
 * (Yahoo credentials that point nowhere: the mapping needs no partner), with its exit codes.
 */
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tempDir.js';

const dir = tempDir('voucher-desk-cli-mapping-');
afterAll(() => dir.remove());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(YAHOO_|WAUG_|VOUCHER_DESK_)/.test(key)) delete env[key];
  Object.assign(env, {
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
    YAHOO_API_KEY: 'k'.repeat(20),
    YAHOO_SHARED_SECRET: 's'.repeat(20),
  });
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'electron/cli/index.ts', ...args, '--data-dir', dir.path],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('mapping commands', () => {
  it('sets, lists (text and JSON), refuses bad input, and removes', async () => {
    const set = await cli([
      'mapping',
      'set',
      '--product',
      'p093568055654',
      '--spec',
      '1',
      '--goods',
      '107278',
      '--option',
      '28900',
      '--item',
      '61800',
      '--label',
      'Taipei 101',
    ]);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('p093568055654 spec 1 → WAUG goods 107278 option 28900 item 61800  Taipei 101');

    const list = await cli(['mapping', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        yahooProductId: 'p093568055654',
        yahooSpecId: '1',
        waugGoodsId: '107278',
        waugGoodsOptionId: '28900',
        waugGoodsOptionItemId: '61800',
        label: 'Taipei 101',
      },
    ]);

    const missing = await cli(['mapping', 'set', '--product', 'p1', '--spec', '1', '--goods', '107278']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --option/);
    const bad = await cli([
      'mapping',
      'set',
      '--product',
      'p1',
      '--spec',
      '1',
      '--goods',
      'abc',
      '--option',
      '1',
      '--item',
      '2',
    ]);
    expect(bad.code).toBe(2);

    const removed = await cli(['mapping', 'remove', '--product', 'p093568055654', '--spec', '1']);
    expect(removed.code).toBe(0);
    expect(removed.stdout.trim()).toBe('No product mappings.');
    const again = await cli(['mapping', 'remove', '--product', 'p093568055654', '--spec', '1']);
    expect(again.code).toBe(3);
  }, 120_000);
});
