/**
 * Counter booking drafts (migration 0080): one aggregate owning its prepared statements.
 *
 * Every write is its own committed transaction (synchronous = FULL), so what the clerk typed
 * before the last save survives a crash. A state change names the states it may leave
 * (`update(…, from)`): two paths racing for one draft cannot both move it.
 *
 * Rows are re-validated when read back: a body that no longer parses is a bug, never guessed at.
 *
 * Bodies hold personal data (names, phone numbers): created, discarded and abandoned editing
 * drafts are purged once untouched for the retention time; a draft whose create may have reached
 * WAUG ('submitting', 'unconfirmed') never is, until it is settled.
 */
import { z } from 'zod';
import { BOOKING_DRAFT_STATES, DraftBodySchema, type BookingDraft, type DraftBody } from '../../../shared/contract.js';
import type { WaugOrderGoodsStatus } from '../../../shared/domain/waug.js';
import type { Db } from './open.js';

export type BookingDraftState = BookingDraft['state'];

/** What WAUG called the ids a body uses, so a draft can be re-mapped by name after a product change. */
export interface ItemNames {
  /** `${goodsId}:${goodsOptionItemId}` → the option's and the item's names. */
  items: Record<string, { optionName: string; itemName: string }>;
  /** `${goodsId}:${goodsOptionTimeslotId}` → its time (HH:mm). */
  timeslots: Record<string, string>;
}

/** No names known yet. Frozen: shared by every draft without names, so only ever copied (namesOf). */
export const NO_ITEM_NAMES: Readonly<ItemNames> = Object.freeze({
  items: Object.freeze({}),
  timeslots: Object.freeze({}),
});

const ItemNamesSchema = z.object({
  items: z.record(z.string(), z.object({ optionName: z.string(), itemName: z.string() })),
  timeslots: z.record(z.string(), z.string()),
});

export interface StoredDraft {
  draftId: string;
  partnerOrderNumber: string;
  state: BookingDraftState;
  body: DraftBody;
  itemNames: ItemNames;
  orderNumber: string | null;
  lastError: string | null;
  createdAt: string;
  /** Every change sets it; so for a 'submitting'/'unconfirmed' draft, when it entered that state. */
  updatedAt: string;
}

export type DraftChange = Partial<Pick<StoredDraft, 'state' | 'body' | 'itemNames' | 'orderNumber' | 'lastError'>>;

export interface BookingDraftStore {
  /** Throws a SQLite constraint error when the partner number is taken. */
  insert(draft: StoredDraft): void;
  get(draftId: string): StoredDraft | null;
  getByPartner(partnerOrderNumber: string): StoredDraft | null;
  getByOrder(orderNumber: string): StoredDraft | null;
  /**
   * Applies `change` when the draft is in one of the states `from`; answers the draft as it is
   * now, or null when there is no such draft or it was in another state (nothing written then).
   */
  update(draftId: string, from: readonly BookingDraftState[], change: DraftChange, at: string): StoredDraft | null;
  /**
   * Newest change first. 'open': being edited or sent, and created ones whose order still has a
   * voucher to come (or is not in the order cache yet); 'all': every draft.
   */
  list(filter: 'open' | 'all', limit: number): StoredDraft[];
  /** Drafts in these states, oldest first (start-up reconciliation). */
  inStates(states: readonly BookingDraftState[]): StoredDraft[];
  /** Created drafts changed at or after `sinceIso` (start-up: issuance to follow). */
  createdSince(sinceIso: string): StoredDraft[];
  /** Deletes editing, created and discarded drafts last changed before `beforeIso`; how many. */
  purge(beforeIso: string): number;
}

interface DraftRow {
  draft_id: string;
  partner_order_number: string;
  state: string;
  body: string;
  item_names: string;
  order_number: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const isState = (s: string): s is BookingDraftState => (BOOKING_DRAFT_STATES as readonly string[]).includes(s);

function toDraft(row: DraftRow): StoredDraft {
  if (!isState(row.state)) throw new Error(`booking_drafts row ${row.draft_id} has an unknown state`);
  const body = DraftBodySchema.safeParse(JSON.parse(row.body));
  if (!body.success) throw new Error(`booking_drafts row ${row.draft_id} has a body that no longer parses`);
  const names = ItemNamesSchema.safeParse(JSON.parse(row.item_names));
  return {
    draftId: row.draft_id,
    partnerOrderNumber: row.partner_order_number,
    state: row.state,
    body: body.data,
    // Names only help a re-map; unreadable ones are as good as none.
    itemNames: names.success ? names.data : NO_ITEM_NAMES,
    orderNumber: row.order_number,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(d: StoredDraft): DraftRow {
  return {
    draft_id: d.draftId,
    partner_order_number: d.partnerOrderNumber,
    state: d.state,
    body: JSON.stringify(d.body),
    item_names: JSON.stringify(d.itemNames),
    order_number: d.orderNumber,
    last_error: d.lastError,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/**
 * Goods statuses after which no voucher will come (cancelled, refunded): nothing more to follow.
 * The one list behind both the 'open' drafts query and issuanceSettled (counterBooking/issuance.ts).
 */
const VOUCHER_ENDED_STATUSES: readonly WaugOrderGoodsStatus[] = [
  'STATUS_CANCEL',
  'STATUS_REFUND_REQUESTED',
  'STATUS_REFUND_COMPLETED',
  'STATUS_PARTIAL_REFUND_COMPLETED',
];
/** Whether no voucher will come for a goods in this status. */
export const voucherEnded = (status: WaugOrderGoodsStatus): boolean => VOUCHER_ENDED_STATUSES.includes(status);
const VOUCHER_ENDED_SQL = `(${VOUCHER_ENDED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export function createBookingDraftStore(db: Db): BookingDraftStore {
  const insert = db.prepare<[DraftRow]>(
    `INSERT INTO booking_drafts (draft_id, partner_order_number, state, body, item_names, order_number, last_error,
       created_at, updated_at)
     VALUES (@draft_id, @partner_order_number, @state, @body, @item_names, @order_number, @last_error, @created_at,
       @updated_at)`,
  );
  const selectOne = db.prepare<[string], DraftRow>(`SELECT * FROM booking_drafts WHERE draft_id = ?`);
  const selectByPartner = db.prepare<[string], DraftRow>(`SELECT * FROM booking_drafts WHERE partner_order_number = ?`);
  const selectByOrder = db.prepare<[string], DraftRow>(
    `SELECT * FROM booking_drafts WHERE order_number = ? ORDER BY updated_at DESC LIMIT 1`,
  );
  const updateRow = db.prepare<[DraftRow & { from_state: string }]>(
    `UPDATE booking_drafts SET state = @state, body = @body, item_names = @item_names, order_number = @order_number,
       last_error = @last_error, updated_at = @updated_at
     WHERE draft_id = @draft_id AND state = @from_state`,
  );
  const lists = {
    open: db.prepare<[number], DraftRow>(
      `SELECT * FROM booking_drafts d
       WHERE d.state IN ('editing', 'submitting', 'unconfirmed')
          OR (d.state = 'created' AND (
                NOT EXISTS (SELECT 1 FROM order_goods g WHERE g.order_number = d.order_number)
                OR EXISTS (SELECT 1 FROM order_goods g WHERE g.order_number = d.order_number
                             AND g.voucher_state <> 'issued' AND g.status NOT IN ${VOUCHER_ENDED_SQL})))
       ORDER BY d.updated_at DESC, d.draft_id LIMIT ?`,
    ),
    all: db.prepare<[number], DraftRow>(`SELECT * FROM booking_drafts ORDER BY updated_at DESC, draft_id LIMIT ?`),
  };
  const selectCreatedSince = db.prepare<[string], DraftRow>(
    `SELECT * FROM booking_drafts WHERE state = 'created' AND updated_at >= ? ORDER BY updated_at`,
  );
  const purge = db.prepare<[string]>(
    `DELETE FROM booking_drafts WHERE state IN ('editing', 'created', 'discarded') AND updated_at < ?`,
  );

  const update = db.transaction(
    (draftId: string, from: readonly BookingDraftState[], change: DraftChange, at: string): StoredDraft | null => {
      const row = selectOne.get(draftId);
      if (row === undefined) return null;
      const current = toDraft(row);
      if (!from.includes(current.state)) return null;
      const next: StoredDraft = { ...current, ...change, updatedAt: at };
      updateRow.run({ ...toRow(next), from_state: current.state });
      return next;
    },
  );

  const one = (row: DraftRow | undefined): StoredDraft | null => (row === undefined ? null : toDraft(row));

  return {
    insert(draft) {
      insert.run(toRow(draft));
    },
    get: (draftId) => one(selectOne.get(draftId)),
    getByPartner: (partnerOrderNumber) => one(selectByPartner.get(partnerOrderNumber)),
    getByOrder: (orderNumber) => one(selectByOrder.get(orderNumber)),
    update: (draftId, from, change, at) => update.immediate(draftId, from, change, at),
    list: (filter, limit) => lists[filter].all(Math.max(1, Math.trunc(limit))).map(toDraft),
    inStates(states) {
      if (states.length === 0) return [];
      const marks = states.map(() => '?').join(', ');
      return db
        .prepare<string[], DraftRow>(`SELECT * FROM booking_drafts WHERE state IN (${marks}) ORDER BY updated_at`)
        .all(...states)
        .map(toDraft);
    },
    createdSince: (sinceIso) => selectCreatedSince.all(sinceIso).map(toDraft),
    purge: (beforeIso) => purge.run(beforeIso).changes,
  };
}

const stores = new WeakMap<Db, BookingDraftStore>();

/** One BookingDraftStore per connection, its statements prepared once. */
export function bookingDraftsOf(db: Db): BookingDraftStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = createBookingDraftStore(db);
    stores.set(db, store);
  }
  return store;
}
