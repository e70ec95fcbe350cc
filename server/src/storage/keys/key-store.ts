import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../sqlite/prisma-client.js';
import { generateKeySecret, hashKeySecret, keyDisplayPrefix } from '../../keys/key-secret.js';
import { isUniqueViolation } from '../errors.js';

/** `server` and `browser` keys send events; `read` tokens read the API. */
export type KeyKind = 'server' | 'browser' | 'read';

const KINDS: readonly KeyKind[] = ['server', 'browser', 'read'];

/** What a request needs to know about a presented key or token. */
export interface ResolvedKey {
  id: string;
  name: string;
  kind: KeyKind;
  allowedOrigins: readonly string[];
}

export interface KeyListing extends ResolvedKey {
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CreateKeyInput {
  name: string;
  kind?: KeyKind;
  allowedOrigins?: readonly string[];
  /** Use this secret instead of a random one (CLOSEWATCH_INGEST_KEY). */
  secret?: string;
}

/** How long a key lookup is trusted: a key revoked from another process stops working within this time. */
const CACHE_TTL_MS = 5_000;

function parseOrigins(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

/** Normalizes `https://Example.com/` to `https://example.com`; throws on anything but an http(s) origin. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`"${origin}" is not an origin; write it like https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${origin}" is not an http(s) origin; write it like https://app.example.com`);
  }
  return url.origin;
}

/** Ingest keys: created and listed through Prisma, verified with a short cache on the hot path. */
export class KeyStore {
  private cache = new Map<string, { key: ResolvedKey | null; at: number }>();

  /**
   * @param clock the time the cache is checked against (tests move it to cross the 5 s window)
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Creates a key; the secret is returned once and only its hash is stored. */
  async create(input: CreateKeyInput): Promise<{ key: KeyListing; secret: string }> {
    const name = input.name.trim();
    if (name === '') throw new Error('a key needs a name (--name <name>)');
    const kind = input.kind ?? 'server';
    const origins = (input.allowedOrigins ?? []).map(normalizeOrigin);
    if (kind === 'browser' && origins.length === 0) {
      throw new Error('a browser key needs at least one allowed origin (--origin https://app.example.com)');
    }
    const secret = input.secret ?? generateKeySecret();
    const row = await this.prisma.apiKey.create({
      data: {
        id: `key_${randomBytes(6).toString('hex')}`,
        name,
        kind,
        keyHash: hashKeySecret(secret),
        keyPrefix: keyDisplayPrefix(secret),
        allowedOrigins: JSON.stringify(origins),
      },
    });
    this.cache.clear();
    return { key: this.toListing(row), secret };
  }

  /**
   * Makes sure a key of `kind` with exactly this secret exists and is active
   * (CLOSEWATCH_INGEST_KEY, CLOSEWATCH_READ_TOKEN).
   * @throws {Error} when the secret belongs to a key of another kind.
   */
  async ensure(secret: string, name: string, kind: KeyKind = 'server'): Promise<{ key: KeyListing; created: boolean }> {
    const existing = await this.prisma.apiKey.findUnique({ where: { keyHash: hashKeySecret(secret) } });
    if (existing && existing.kind !== kind) {
      throw new Error(`${name}: this secret already belongs to a ${existing.kind} key (${existing.id}); use a different value`);
    }
    if (existing) {
      if (existing.revokedAt !== null) {
        const row = await this.prisma.apiKey.update({ where: { id: existing.id }, data: { revokedAt: null } });
        this.cache.clear();
        return { key: this.toListing(row), created: false };
      }
      return { key: this.toListing(existing), created: false };
    }
    try {
      const { key } = await this.create({ name, secret, kind });
      return { key, created: true };
    } catch (error) {
      // Collectors starting together on one database each ensure the key: the one whose
      // insert lost the race finds the key the other made.
      if (!isUniqueViolation(error)) throw error;
      const made = await this.prisma.apiKey.findUnique({ where: { keyHash: hashKeySecret(secret) } });
      if (made === null || made.kind !== kind) throw error;
      return { key: this.toListing(made), created: false };
    }
  }

  async list(): Promise<KeyListing[]> {
    const rows = await this.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map((r) => this.toListing(r));
  }

  /** Active keys, of one kind or of the kinds that send events (the default). */
  async countActive(kinds: readonly KeyKind[] = ['server', 'browser']): Promise<number> {
    return this.prisma.apiKey.count({ where: { revokedAt: null, kind: { in: [...kinds] } } });
  }

  /** Revokes a key by id; returns false when there is no such active key. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    this.cache.clear();
    return result.count === 1;
  }

  /** The active key with this secret, or null. */
  async resolve(secret: string, now: number = this.clock()): Promise<ResolvedKey | null> {
    const hash = hashKeySecret(secret);
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.key;
    const row = await this.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    const key = row && row.revokedAt === null ? this.toResolved(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, at: now });
    return key;
  }

  /** Whether the key with this id exists, is of `kind` and is not revoked (cached like `resolve`). */
  async isActive(id: string, kind: KeyKind, now: number = this.clock()): Promise<boolean> {
    const cacheKey = `\u0000id:${id}`;
    const hit = this.cache.get(cacheKey);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.key?.kind === kind;
    const row = await this.prisma.apiKey.findUnique({ where: { id } });
    const key = row && row.revokedAt === null ? this.toResolved(row) : null;
    this.cache.set(cacheKey, { key, at: now });
    return key?.kind === kind;
  }

  /** Every origin some active browser key allows (answers CORS preflights, which carry no key). */
  async browserOrigins(now: number = this.clock()): Promise<ReadonlySet<string>> {
    const hit = this.cache.get('\u0000origins');
    if (hit && now - hit.at < CACHE_TTL_MS && hit.key) return new Set(hit.key.allowedOrigins);
    const rows = await this.prisma.apiKey.findMany({ where: { kind: 'browser', revokedAt: null }, select: { allowedOrigins: true } });
    const origins = [...new Set(rows.flatMap((r) => parseOrigins(r.allowedOrigins)))];
    this.cache.set('\u0000origins', { key: { id: '', name: '', kind: 'browser', allowedOrigins: origins }, at: now });
    return new Set(origins);
  }

  private toResolved(row: { id: string; name: string; kind: string; allowedOrigins: string }): ResolvedKey {
    return {
      id: row.id,
      name: row.name,
      kind: KINDS.find((k) => k === row.kind) ?? 'server',
      allowedOrigins: parseOrigins(row.allowedOrigins),
    };
  }

  private toListing(row: {
    id: string;
    name: string;
    kind: string;
    allowedOrigins: string;
    keyPrefix: string;
    createdAt: Date;
    revokedAt: Date | null;
  }): KeyListing {
    return { ...this.toResolved(row), keyPrefix: row.keyPrefix, createdAt: row.createdAt, revokedAt: row.revokedAt };
  }
}
