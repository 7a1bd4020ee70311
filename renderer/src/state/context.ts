/** The objects every component of the window shares, handed down through Svelte context. */
import { createContext } from 'svelte';
import type { DeskApi } from '../../../shared/contract.js';
import type { Clock } from './clock.svelte.js';
import type { CounterState } from './counter.svelte.js';
import type { DeskStatus } from './desk.svelte.js';
import type { I18n } from './i18n.svelte.js';
import type { LinkedOrder } from './linkedOrder.svelte.js';
import type { OrderDetailState } from './orderDetail.svelte.js';
import type { OrdersState } from './orders.svelte.js';
import type { OutboxState } from './outbox.svelte.js';
import type { SearchState } from './search.svelte.js';
import type { ShiftLog } from './shift.svelte.js';
import type { SyncState } from './sync.svelte.js';
import type { UiState } from './ui.svelte.js';

export interface Desk {
  api: DeskApi;
  i18n: I18n;
  clock: Clock;
  status: DeskStatus;
  counter: CounterState;
  shift: ShiftLog;
  ui: UiState;
  sync: SyncState;
  outbox: OutboxState;
  search: SearchState;
  /** The WAUG order behind the voucher on the counter. */
  linkedOrder: LinkedOrder;
  orders: OrdersState;
  orderDetail: OrderDetailState;
}

export const [getDesk, setDesk] = createContext<Desk>();
