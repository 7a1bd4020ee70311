/**
 * The sandboxed preload. It exposes exactly the calls listed in shared/channels.ts, one
 * function per channel, and nothing else: no generic invoke, no ipcRenderer, no process.env.
 * Payload validation happens in main (the renderer is not trusted).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventName } from '../../shared/channels.js';

const api: Record<string, unknown> = {};
for (const [name, channel] of Object.entries(INVOKE_CHANNELS)) {
  api[name] = (request: unknown) => ipcRenderer.invoke(channel, request);
}

api['on'] = (event: EventName, listener: (payload: unknown) => void) => {
  const channel = EVENT_CHANNELS[event];
  if (channel === undefined) throw new Error(`Unknown event: ${String(event)}`);
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

contextBridge.exposeInMainWorld('voucherDesk', Object.freeze(api));
