import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../electron/main/appUrl.js';

describe('isAppUrl (which pages may call IPC and be navigated to)', () => {
  const fileEntry = 'file:///opt/voucher-desk/out/renderer/index.html';

  it('accepts the built renderer page itself, with or without a fragment', () => {
    expect(isAppUrl(fileEntry, fileEntry)).toBe(true);
    expect(isAppUrl(`${fileEntry}#settings`, fileEntry)).toBe(true);
  });

  it('refuses any other local file, so a dropped HTML file cannot reach IPC', () => {
    expect(isAppUrl('file:///tmp/evil.html', fileEntry)).toBe(false);
    expect(isAppUrl('file:///opt/voucher-desk/out/renderer/other.html', fileEntry)).toBe(false);
  });

  it('refuses remote pages and garbage', () => {
    expect(isAppUrl('https://example.com/index.html', fileEntry)).toBe(false);
    expect(isAppUrl('not a url', fileEntry)).toBe(false);
  });

  it('matches the dev server by origin only', () => {
    const dev = 'http://localhost:5173/';
    expect(isAppUrl('http://localhost:5173/some/route', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
