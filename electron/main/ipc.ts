/**
 * Registers one ipcMain handler per channel of the contract. Each checks that the call
 * comes from our own window's main frame, then hands the raw payload to the core's
 * dispatcher, which validates it with the contract's schema and never throws.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventName, type InvokeName } from '../../shared/channels.js';
import type { EventPayload } from '../../shared/contract.js';
import type { IpcResult } from '../../shared/errors.js';
import { dispatch } from '../core/dispatch.js';
import type { Core } from '../core/app.js';
import type { Logger } from '../core/log/logger.js';
import { isAppUrl } from './appUrl.js';

const FORBIDDEN: IpcResult<never> = { ok: false, error: { code: 'forbidden', message: 'Caller not allowed' } };

export function registerIpc(core: Core, appEntryUrl: string, log: Logger): () => void {
  const names = Object.keys(INVOKE_CHANNELS) as InvokeName[];
  for (const name of names) {
    ipcMain.handle(INVOKE_CHANNELS[name], async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event, appEntryUrl)) {
        log.warn('ipc.refused', { channel: INVOKE_CHANNELS[name], url: event.senderFrame?.url ?? null });
        return FORBIDDEN;
      }
      return dispatch(core.handlers, name, payload, log);
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(INVOKE_CHANNELS[name]));
}

function isTrustedSender(event: IpcMainInvokeEvent, appEntryUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url, appEntryUrl);
}

export function pushEvent<E extends EventName>(target: WebContents, event: E, payload: EventPayload<E>): void {
  if (!target.isDestroyed()) target.send(EVENT_CHANNELS[event], payload);
}
