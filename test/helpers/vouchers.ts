import type { Voucher } from '../../shared/domain/voucher.js';

let counter = 0;

/** A plausible normalised Yahoo voucher; every call gets fresh ids unless overridden. */
export function makeVoucher(overrides: Partial<Voucher> = {}): Voucher {
  counter += 1;
  const n = String(counter).padStart(6, '0');
  return {
    voucherId: `9000000000${n}`,
    productId: 'p12345679',
    specId: '1',
    price: '200',
    serialNumber: `YD${n}TEST`,
    orderId: `YM15051200${n}`,
    orderItemId: `YS15051200${n}`,
    title: '雙人下午茶套餐',
    redemptionDesc: '請於櫃台出示序號',
    buyerDetails: { name: '楊于慧', phone: '0912063990' },
    executedBy: null,
    status: 'UNUSED',
    refundType: null,
    redemptionType: null,
    statusAppliedTime: '2025-05-01T00:00:00.000Z',
    deliveredTime: '2025-05-01T00:00:00.000Z',
    expireTime: '2030-12-31T15:59:59.000Z',
    startTime: '2025-05-01T00:00:00.000Z',
    ...overrides,
  };
}
