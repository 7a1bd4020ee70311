import { describe, expect, it } from 'vitest';
import {
  signatureData,
  signYahoo,
  verifyYahooSignature,
  YAHOO_SIGNATURE_HEADER,
  YAHOO_SIGNING_DEFAULTS,
} from '../../electron/core/yahoo/sign.js';

// Vectors computed once, independently, with `printf '%s' "$DATA" | openssl dgst -sha1 -hmac "$KEY"`
// (and -sha256, and `-binary | base64`), then hard-coded here.
const SEED_TARGET = '/stauth2/v1/vouchers/redeem?TimeStamp=1433924096&ApiKey=247c4a4244eaf481d39ed035xxxxxx';
const SEED_BODY =
  '{"vouchers":[{"orderId":"YM123239423","orderItemId":"YS1505130000028","serialNumber":"1234567890","redeemAt":"user input"}]}';
const SEED_DATA = SEED_TARGET + SEED_BODY;
const SEED_SECRET = 'OGEzMDc3NDg1OTZmMjMyMxxxxxxxx';

const SEED_SHA1_HEX = '76b48d3ecf775df04cb1aafc35baba7772a83f52';
const SEED_SHA256_HEX = '63677ac68143254e247fb0f903ee01ea85751607a6509cde28d631cc5b4cb37e';
const SEED_SHA1_BASE64 = 'drSNPs93XfBMsar8Nbq6d3KoP1I=';
const SEED_SHA256_BASE64 = 'Y2d6xoFDJU4kf7D5A+4B6oV1FgemUJzeKNYxzFtMs34=';

const CHINESE_TARGET = '/stauth2/v1/vouchers/redeem?TimeStamp=1700000000&ApiKey=demo-key';
const CHINESE_BODY =
  '{"vouchers":[{"orderId":"YM1505070079148","serialNumber":"YTWPS00001ABCDE","redeemAt":"櫃台 2 · R-7f3a9c 台北101觀景台"}]}';
const CHINESE_SHA1_HEX = 'b5975f326b521a842b3707862b0cb0d0333611dd';

const GET_TARGET =
  '/stauth2/v1/vouchers?TimeStamp=1433924096&ApiKey=247c4a4244eaf481d39ed035xxxxxx&serialNumber=615089255';
const GET_SHA1_HEX = '6f07d9d92ae01841ac40da404da525b9846294b6';
const GET_SHA1_HEX_CHINESE_SECRET = '78085541b3ffd6dc0c518aaac2e69e0c80751ab4'; // key "密鑰secret"

function flipOneBit(signature: string, encoding: 'hex' | 'base64'): string {
  const bytes = Buffer.from(signature, encoding);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x01;
  return bytes.toString(encoding);
}

describe('signatureData', () => {
  it('is the request target immediately followed by the body bytes, no separator', () => {
    const data = signatureData(SEED_TARGET, Buffer.from(SEED_BODY, 'utf8'));
    expect(data.toString('utf8')).toBe(SEED_DATA);
    expect(data.length).toBe(Buffer.byteLength(SEED_TARGET) + Buffer.byteLength(SEED_BODY));
    expect(data.subarray(SEED_TARGET.length, SEED_TARGET.length + 1).toString()).toBe('{');
  });

  it('is the target alone for a GET (null or empty body)', () => {
    expect(signatureData(GET_TARGET, null).toString()).toBe(GET_TARGET);
    expect(signatureData(GET_TARGET, Buffer.alloc(0)).toString()).toBe(GET_TARGET);
  });

  it('keeps the body bytes as given (UTF-8 Chinese, not re-encoded)', () => {
    const body = Buffer.from(CHINESE_BODY, 'utf8');
    const data = signatureData(CHINESE_TARGET, body);
    expect(data.length).toBe(194);
    expect(data.subarray(CHINESE_TARGET.length).equals(body)).toBe(true);
  });
});

describe('signYahoo', () => {
  it('defaults to HMAC-SHA1, lowercase hex, in one exported constant', () => {
    expect(YAHOO_SIGNING_DEFAULTS).toEqual({ algorithm: 'sha1', encoding: 'hex' });
    expect(Object.isFrozen(YAHOO_SIGNING_DEFAULTS)).toBe(true);
    expect(YAHOO_SIGNATURE_HEADER).toBe('X-STOREAUTH-SIG');
  });

  it("signs the seed document's example data string", () => {
    const signature = signYahoo(Buffer.from(SEED_DATA, 'utf8'), SEED_SECRET);
    expect(signature).toBe(SEED_SHA1_HEX);
    expect(signature).toMatch(/^[0-9a-f]{40}$/);
    expect(signYahoo(SEED_DATA, SEED_SECRET)).toBe(SEED_SHA1_HEX);
  });

  it('signs the seed example with sha256 and with base64 when configured', () => {
    expect(signYahoo(SEED_DATA, SEED_SECRET, { algorithm: 'sha256' })).toBe(SEED_SHA256_HEX);
    expect(signYahoo(SEED_DATA, SEED_SECRET, { encoding: 'base64' })).toBe(SEED_SHA1_BASE64);
    expect(signYahoo(SEED_DATA, SEED_SECRET, { algorithm: 'sha256', encoding: 'base64' })).toBe(SEED_SHA256_BASE64);
  });

  it('signs a UTF-8 Chinese body over its UTF-8 bytes', () => {
    const data = signatureData(CHINESE_TARGET, Buffer.from(CHINESE_BODY, 'utf8'));
    expect(signYahoo(data, SEED_SECRET)).toBe(CHINESE_SHA1_HEX);
    // Signing the same text as Latin-1 (the classic mistake) gives something else.
    expect(signYahoo(Buffer.from(CHINESE_TARGET + CHINESE_BODY, 'latin1'), SEED_SECRET)).not.toBe(CHINESE_SHA1_HEX);
  });

  it('signs a GET target, keyed with the UTF-8 bytes of the secret as given', () => {
    expect(signYahoo(signatureData(GET_TARGET, null), SEED_SECRET)).toBe(GET_SHA1_HEX);
    expect(signYahoo(GET_TARGET, '密鑰secret')).toBe(GET_SHA1_HEX_CHINESE_SECRET);
    // Not base64-decoded: decoding the secret first would change the key and the signature.
    expect(signYahoo(GET_TARGET, Buffer.from(SEED_SECRET, 'base64').toString('latin1'))).not.toBe(GET_SHA1_HEX);
  });
});

describe('verifyYahooSignature', () => {
  it('accepts the right signature, in every configured form', () => {
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_HEX)).toBe(true);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_HEX.toUpperCase())).toBe(true);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA256_HEX, { algorithm: 'sha256' })).toBe(true);
    expect(
      verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA256_BASE64, { algorithm: 'sha256', encoding: 'base64' }),
    ).toBe(true);
  });

  it('rejects a one-bit change of the signature', () => {
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, flipOneBit(SEED_SHA1_HEX, 'hex'))).toBe(false);
    expect(
      verifyYahooSignature(SEED_DATA, SEED_SECRET, flipOneBit(SEED_SHA1_BASE64, 'base64'), { encoding: 'base64' }),
    ).toBe(false);
    // The base64 text's last character has unused low bits: a non-canonical spelling must not pass.
    expect(
      verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_BASE64.replace('1I=', '1J='), { encoding: 'base64' }),
    ).toBe(false);
  });

  it('rejects a one-bit change of the data, and the wrong secret', () => {
    const data = Buffer.from(SEED_DATA, 'utf8');
    data[data.length - 3] = (data[data.length - 3] as number) ^ 0x01;
    expect(verifyYahooSignature(data, SEED_SECRET, SEED_SHA1_HEX)).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET + 'x', SEED_SHA1_HEX)).toBe(false);
  });

  it('rejects a signature of a different length, without throwing', () => {
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_HEX.slice(0, -2))).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_HEX + '00')).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA256_HEX)).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, SEED_SHA1_HEX.slice(0, -1))).toBe(false);
  });

  it('rejects missing, empty and non-hex signatures', () => {
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, undefined)).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, null)).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, '')).toBe(false);
    expect(verifyYahooSignature(SEED_DATA, SEED_SECRET, 'zz' + SEED_SHA1_HEX.slice(2))).toBe(false);
  });
});
