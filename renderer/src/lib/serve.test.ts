import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../shared/i18n/index.js';
import { checkServeRequest, draftFromUrl, isLoopbackHost, serveProblemInWords, serveState } from './serve.js';

describe('checkServeRequest', () => {
  it('accepts a port and host', () => {
    expect(checkServeRequest(true, { port: 8788, host: ' 127.0.0.1 ' })).toEqual({
      ok: true,
      request: { enabled: true, port: 8788, host: '127.0.0.1' },
    });
  });

  it('refuses an empty or out-of-range port, and an empty or odd host', () => {
    expect(checkServeRequest(true, { port: null, host: '127.0.0.1' })).toEqual({ ok: false, errors: { port: true } });
    expect(checkServeRequest(true, { port: 70000, host: '127.0.0.1' })).toEqual({ ok: false, errors: { port: true } });
    expect(checkServeRequest(true, { port: 8788, host: '' })).toEqual({ ok: false, errors: { host: true } });
    expect(checkServeRequest(true, { port: 8788, host: 'http://x/' })).toEqual({ ok: false, errors: { host: true } });
  });
});

describe('isLoopbackHost', () => {
  it('knows the addresses that keep the endpoints on this PC', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', ' LOCALHOST ']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('warns about anything else', () => {
    for (const host of ['0.0.0.0', '192.168.1.20', '::', 'desk.local', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('the endpoints status', () => {
  it('reads the running host and port back from the URL', () => {
    expect(draftFromUrl('http://127.0.0.1:8788')).toEqual({ port: 8788, host: '127.0.0.1' });
    expect(draftFromUrl('http://[::1]:9000/')).toEqual({ port: 9000, host: '::1' });
    expect(draftFromUrl(null)).toBeNull();
    expect(draftFromUrl('not a url')).toBeNull();
  });

  it('tells running, stopped and failed apart', () => {
    expect(serveState(null)).toBe('stopped');
    expect(
      serveState({ running: true, url: 'http://127.0.0.1:1', error: null, requests: 0, waugWebhookUrl: null }),
    ).toBe('running');
    expect(serveState({ running: false, url: null, error: null, requests: 3, waugWebhookUrl: null })).toBe('stopped');
    expect(
      serveState({ running: false, url: null, error: 'listen EADDRINUSE', requests: 0, waugWebhookUrl: null }),
    ).toBe('failed');
  });

  it('puts listen errors in words, in both languages', () => {
    const en = createTranslator('en');
    const zh = createTranslator('zh-TW');
    expect(serveProblemInWords(en, 'listen EADDRINUSE: address already in use 127.0.0.1:8788', 8788)).toContain('8788');
    expect(serveProblemInWords(en, 'listen EADDRINUSE', 8788)).toBe(en.t('serve.problem.inUse', { port: 8788 }));
    expect(serveProblemInWords(zh, 'listen EACCES', 80)).toBe(zh.t('serve.problem.denied', { port: 80 }));
    expect(serveProblemInWords(en, 'internal: boom', null)).toBe(en.error('internal'));
    expect(serveProblemInWords(en, 'Something else', null)).toBe('Something else');
  });
});
