import type { KeyStore } from '../storage/keys/key-store.js';

export type KeyBootstrap =
  | { kind: 'ensured'; keyId: string; created: boolean }
  | { kind: 'created-first'; keyId: string; secret: string }
  | { kind: 'existing'; active: number };

/**
 * Start-up key policy: `CLOSEWATCH_INGEST_KEY` is ensured to exist; otherwise, on a
 * database without any active ingest key, one is created so the quickstart needs no setup.
 */
export async function bootstrapKeys(keys: KeyStore, configuredSecret: string | undefined): Promise<KeyBootstrap> {
  if (configuredSecret !== undefined) {
    const { key, created } = await keys.ensure(configuredSecret, 'from CLOSEWATCH_INGEST_KEY');
    return { kind: 'ensured', keyId: key.id, created };
  }
  const active = await keys.countActive();
  if (active > 0) return { kind: 'existing', active };
  const { key, secret } = await keys.create({ name: 'default' });
  return { kind: 'created-first', keyId: key.id, secret };
}

/** `CLOSEWATCH_READ_TOKEN`, when set, is ensured to be an active read token. */
export async function bootstrapReadToken(keys: KeyStore, configuredSecret: string | undefined): Promise<{ keyId: string; created: boolean } | null> {
  if (configuredSecret === undefined) return null;
  const { key, created } = await keys.ensure(configuredSecret, 'from CLOSEWATCH_READ_TOKEN', 'read');
  return { keyId: key.id, created };
}
