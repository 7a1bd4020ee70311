/** What leaves the main process about a voucher: the phone is masked here, once. */
import type { VoucherView } from '../../../shared/contract.js';
import { maskPhone } from '../../../shared/domain/mask.js';
import type { Voucher } from '../../../shared/domain/voucher.js';

export function toVoucherView(voucher: Voucher): VoucherView {
  return {
    voucherId: voucher.voucherId,
    serialNumber: voucher.serialNumber,
    orderId: voucher.orderId,
    orderItemId: voucher.orderItemId,
    productId: voucher.productId,
    specId: voucher.specId,
    title: voucher.title,
    redemptionDesc: voucher.redemptionDesc,
    price: voucher.price,
    buyerName: voucher.buyerDetails.name,
    buyerPhoneMasked: maskPhone(voucher.buyerDetails.phone),
    status: voucher.status,
    statusAppliedTime: voucher.statusAppliedTime,
    executedBy: voucher.executedBy,
    startTime: voucher.startTime,
    expireTime: voucher.expireTime,
    deliveredTime: voucher.deliveredTime,
  };
}
