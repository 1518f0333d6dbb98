/**
 * API keys: `TRACEGRAPH_API_KEYS="key:role,key:role"`, sent as `Authorization: Bearer <key>`.
 * Keys are held only as SHA-256 digests; logs and the audit log name a key by a short
 * fingerprint of its digest.
 */
import { createHash } from 'node:crypto';
import { SettingError } from '../domain/errors';
import { ROLES, type Role, type Viewer } from './roles';

export interface ApiKey {
  key: string;
  role: Role;
}

/**
 * What a key may hold: visible ASCII, no space. `authenticate` reads the key after `Bearer ` up to
 * the first space, and an HTTP header carries no control characters and no text beyond Latin-1 as
 * it was written, so a key with any other character could never log in.
 */
const SENDABLE_KEY = /^[\x21-\x7e]+$/;

/**
 * The keys of `TRACEGRAPH_API_KEYS`. A refused entry is named by its position, never by its key,
 * since the message goes to logs and terminals.
 */
export function parseApiKeys(text: string | undefined, source = 'TRACEGRAPH_API_KEYS'): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = (text ?? '').split(',').map((e) => e.trim());
  entries.forEach((entry, index) => {
    if (!entry) return;
    const colon = entry.lastIndexOf(':');
    const key = colon > 0 ? entry.slice(0, colon).trim() : '';
    const role = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!key || !role) throw new SettingError(`${source}: entry ${index + 1} is not "key:role"`);
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new SettingError(`${source}: entry ${index + 1} has role "${role}" (known: ${ROLES.join(', ')})`);
    }
    if (!SENDABLE_KEY.test(key)) {
      throw new SettingError(
        `${source}: the key of entry ${index + 1} holds a space or a character that cannot be sent ` +
          'in "Authorization: Bearer <key>" (a key is letters, digits and ASCII punctuation)',
      );
    }
    if (keys.some((k) => k.key === key))
      throw new SettingError(`${source}: entry ${index + 1} repeats a key`);
    keys.push({ key, role: role as Role });
  });
  return keys;
}

const digest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A fingerprint of the key for logs: 8 hex characters of its SHA-256 digest. */
export function keyId(key: string): string {
  return `key-${digest(key).slice(0, 8)}`;
}

/** Looks keys up by digest, so no comparison ever runs over the secret itself. */
export class KeyRing {
  private readonly viewers = new Map<string, Viewer>();

  constructor(keys: readonly ApiKey[]) {
    for (const { key, role } of keys) this.viewers.set(digest(key), { keyId: keyId(key), role });
  }

  get size(): number {
    return this.viewers.size;
  }

  /** The viewer for an `Authorization` header value, or null when it holds no known key. */
  authenticate(authorization: string | undefined): Viewer | null {
    const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    return this.viewers.get(digest(match[1]!)) ?? null;
  }
}
