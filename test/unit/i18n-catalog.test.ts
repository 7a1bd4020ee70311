import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { ERROR_CODES } from '../../shared/errors.js';
import { REFUSAL_REASONS, VOUCHER_STATUSES } from '../../shared/domain/voucher.js';
import { LOCALES } from '../../shared/contract.js';
import {
  CATALOGS,
  createTranslator,
  SUPPORTED_LOCALES,
  translateError,
  type MessageKey,
} from '../../shared/i18n/index.js';

// The parser's element types (intl-messageformat AST), named here to avoid a direct dependency.
const ARGUMENT = 1;
const NUMBER = 2;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

interface AstNode {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
}

/** Every argument a message uses, with the kind of value it needs. */
function argumentsOf(nodes: AstNode[], into = new Map<string, 'text' | 'number' | string[]>()) {
  for (const node of nodes) {
    if (node.type === ARGUMENT && typeof node.value === 'string' && !into.has(node.value)) into.set(node.value, 'text');
    if ((node.type === NUMBER || node.type === PLURAL) && typeof node.value === 'string')
      into.set(node.value, 'number');
    if (node.type === SELECT && typeof node.value === 'string') into.set(node.value, Object.keys(node.options ?? {}));
    for (const option of Object.values(node.options ?? {})) argumentsOf(option.value, into);
    if (node.type === TAG) argumentsOf(node.children ?? [], into);
  }
  return into;
}

const keys = Object.keys(CATALOGS['zh-TW']).sort() as MessageKey[];

describe('catalogs', () => {
  it('cover every locale of the contract', () => {
    expect([...SUPPORTED_LOCALES].sort()).toEqual([...LOCALES].sort());
  });

  it('have exactly the same keys in zh-TW and en', () => {
    expect(Object.keys(CATALOGS.en).sort()).toEqual(keys);
  });

  it('have no empty message', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const key of keys) expect(CATALOGS[locale][key].trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('use the same arguments in both languages', () => {
    for (const key of keys) {
      const zh = argumentsOf(new IntlMessageFormat(CATALOGS['zh-TW'][key], 'zh-TW').getAst() as AstNode[]);
      const en = argumentsOf(new IntlMessageFormat(CATALOGS.en[key], 'en').getAst() as AstNode[]);
      expect([...en.keys()].sort(), key).toEqual([...zh.keys()].sort());
    }
  });

  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale}: every message compiles and formats with sample values`, () => {
      const t = createTranslator(locale);
      for (const key of keys) {
        const ast = new IntlMessageFormat(CATALOGS[locale][key], locale).getAst() as AstNode[];
        const args = argumentsOf(ast);
        // Try each select branch and a few plural counts, so every branch is exercised.
        const variants: Record<string, string | number>[] = [{}];
        for (const [name, kind] of args) {
          const choices: (string | number)[] = kind === 'text' ? ['樣本 Sample'] : kind === 'number' ? [0, 1, 7] : kind;
          const next: Record<string, string | number>[] = [];
          for (const variant of variants) for (const choice of choices) next.push({ ...variant, [name]: choice });
          variants.splice(0, variants.length, ...next);
        }
        for (const values of variants) {
          const direct = new IntlMessageFormat(CATALOGS[locale][key], locale).format(values);
          expect(typeof direct, key).toBe('string');
          const out = t.t(key, values);
          expect(out, key).toBe(direct);
          expect(out, `${key} left ICU syntax in ${out}`).not.toMatch(/[{}]/);
        }
      }
    });
  }
});

describe('domain words', () => {
  for (const locale of SUPPORTED_LOCALES) {
    const t = createTranslator(locale);
    const catalog = CATALOGS[locale] as Record<string, string>;

    it(`${locale}: every ErrorCode has its own message`, () => {
      const seen = new Set<string>();
      for (const code of ERROR_CODES) {
        expect(catalog[`error.${code}`], code).toBeDefined();
        const text = t.error(code);
        expect(text).toBe(translateError(code, locale));
        expect(text).not.toBe(code);
        expect(text).not.toMatch(/^[a-z_]+$/);
        seen.add(text);
      }
      expect(seen.size).toBe(ERROR_CODES.length);
    });

    it(`${locale}: an unknown error code reads as internal, never raw`, () => {
      expect(t.error('ECONNRESET')).toBe(t.error('internal'));
    });

    it(`${locale}: every VoucherStatus has a word`, () => {
      for (const status of VOUCHER_STATUSES) {
        expect(catalog[`voucherStatus.${status}`], status).toBeDefined();
        expect(t.status(status)).not.toBe(status);
      }
    });

    it(`${locale}: every RefusalReason has a label and a sentence, with and without times`, () => {
      for (const reason of REFUSAL_REASONS) {
        expect(catalog[`refusal.${reason}`], reason).toBeDefined();
        expect(catalog[`refusal.${reason}.detail`], reason).toBeDefined();
        expect(t.refusal(reason)).not.toBe(reason);
        const bare = t.refusalDetail(reason);
        const full = t.refusalDetail(reason, {
          statusAppliedTime: '2025-01-05T07:20:00.000Z',
          executedBy: 'Front desk 2',
          expireTime: '2025-01-31T15:59:59.000Z',
        });
        expect(bare).not.toMatch(/[{}]/);
        expect(full).not.toMatch(/[{}]/);
        // The sentence carries the short label, so the reason reads the same on the card, the banner and the list.
        expect(bare).toContain(t.refusal(reason));
        expect(full).toContain(t.refusal(reason));
      }
    });
  }

  it('says when and where a voucher was used, in Taipei time', () => {
    const at = '2025-01-05T07:20:00.000Z'; // 15:20 in Taipei
    expect(createTranslator('en').refusalDetail('used', { statusAppliedTime: at, executedBy: 'Front desk 2' })).toBe(
      'Already used at 5 Jan 2025, 15:20 (Front desk 2). It cannot be redeemed again.',
    );
    expect(createTranslator('zh-TW').refusalDetail('used', { statusAppliedTime: at })).toBe(
      '已使用，於 2025/01/05 15:20 兌換，不可再次兌換。',
    );
    expect(createTranslator('en').refusalDetail('expired', { expireTime: '2025-01-31T16:30:00.000Z' })).toBe(
      'Expired on 1 Feb 2025. It cannot be redeemed.',
    );
  });

  it('translateError defaults to zh-TW and falls back from an unknown locale', () => {
    expect(translateError('timeout')).toBe(CATALOGS['zh-TW']['error.timeout']);
    expect(translateError('timeout', 'fr')).toBe(CATALOGS['zh-TW']['error.timeout']);
    expect(translateError('timeout', 'en')).toBe(CATALOGS.en['error.timeout']);
  });

  it('hands out one cached translator per locale', () => {
    expect(createTranslator('en')).toBe(createTranslator('en'));
    expect(createTranslator('zh-TW')).not.toBe(createTranslator('en'));
  });

  it('formats plurals per language', () => {
    expect(createTranslator('en').t('shift.count', { count: 1 })).toBe('1 redemption');
    expect(createTranslator('en').t('shift.count', { count: 3 })).toBe('3 redemptions');
    expect(createTranslator('zh-TW').t('shift.count', { count: 3 })).toBe('共 3 筆');
    expect(createTranslator('zh-TW').t('shift.count', { count: 0 })).toBe('尚無紀錄');
  });
});
