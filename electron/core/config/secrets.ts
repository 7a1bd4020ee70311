/**
 * How secrets are kept at rest. Electron passes a safeStorage-backed cipher ('encrypted');
 * under Node there is no OS keystore, so the cipher is 'memory-only' and secrets come from the
 * environment or live in memory for the session, never on disk.
 */

export interface SecretCipher {
  /** 'encrypted': ciphertext may be written to disk. 'memory-only': secrets must never be written. */
  readonly kind: 'encrypted' | 'memory-only';
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/** The Node cipher: there is nowhere safe to keep a secret at rest, so it refuses to produce any. */
export function createMemoryOnlyCipher(): SecretCipher {
  const refuse = (): never => {
    throw new Error('memory-only secret storage: secrets are never encrypted to disk under Node');
  };
  return { kind: 'memory-only', encrypt: refuse, decrypt: refuse };
}
