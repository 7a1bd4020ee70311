/**
 * The preload's ipcRenderer.invoke can still reject (a handler missing in main, a window
 * being torn down). The UI only ever deals in IpcResult, so a rejection becomes one.
 */
import type { IpcResult } from '../../../shared/errors.js';

export async function callSafely<T>(call: () => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}
