/**
 * The order-input values of a booking (API-NOTES §2 "Input groups"), filled only with what the
 * desk really knows: the merchant's booking contact for the contact-type fields of the ORDER
 * group (engname, mobile, tel, email). Everything else (a traveller's name, a birth date, a
 * hotel) is the buyer's, which Yahoo's issue call does not carry: optional fields are left out;
 * a required one makes the booking fail, naming the fields, instead of inventing a value.
 */
import type { WaugOrderInfoGroup, WaugOrderInfoValue } from '../waug/api.js';
import type { WaugFieldType } from '../waug/constants.js';
import type { BookingContact } from './contact.js';

export type BookingInfos =
  | {
      ok: true;
      orderInfos: (WaugOrderInfoValue & { groupCategory: 'ORDER' })[];
      goodsInfos: (WaugOrderInfoValue & { groupCategory: 'GOODS' | 'EACH' })[];
    }
  | { ok: false; missing: string[] };

function contactValue(type: WaugFieldType, contact: BookingContact | null): string | null {
  if (contact === null) return null;
  switch (type) {
    case 'engname':
      return contact.name;
    case 'mobile':
    case 'tel':
      return contact.mobile;
    case 'email':
      return contact.email;
    default:
      return null;
  }
}

/** The values for one unit (quantity 1) of one goods. */
export function buildBookingInfos(groups: readonly WaugOrderInfoGroup[], contact: BookingContact | null): BookingInfos {
  const orderInfos: (WaugOrderInfoValue & { groupCategory: 'ORDER' })[] = [];
  const goodsInfos: (WaugOrderInfoValue & { groupCategory: 'GOODS' | 'EACH' })[] = [];
  const missing: string[] = [];
  for (const group of groups) {
    for (const field of group.fields) {
      const value = group.groupCategory === 'ORDER' ? contactValue(field.fieldType, contact) : null;
      if (value === null) {
        if (field.required) missing.push(`"${field.fieldName}" (${group.groupCategory}, ${field.fieldType})`);
        continue;
      }
      // ORDER only, see above; GOODS/EACH values never come from the merchant's contact.
      orderInfos.push({ fieldId: field.fieldId, groupCategory: 'ORDER', values: [value] });
    }
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, orderInfos, goodsInfos };
}
