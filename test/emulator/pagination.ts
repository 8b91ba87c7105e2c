import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keyset pagination shared by every List/Describe/Search operation.
 *
 * A result set is sorted by a total order (a sort key ending in a unique id); a NextToken carries
 * the key of the last item returned, the query it belongs to, and an HMAC. The next page starts
 * right after that key, so pages stay correct when items are added or removed between calls, and
 * a token from another query, a truncated token, or a forged one is rejected.
 */

export type SortValue = string | number;
export type SortKey = readonly SortValue[];

export interface SortOrder<T> {
  readonly key: (item: T) => SortKey;
  readonly descending: boolean;
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

export function sortItems<T>(items: T[], order: SortOrder<T>): T[] {
  const direction = order.descending ? -1 : 1;
  const keyed = items.map((item) => ({ item, key: order.key(item) }));
  keyed.sort((a, b) => direction * compareSortKeys(a.key, b.key));
  return keyed.map((entry) => entry.item);
}

export interface Page<T> {
  readonly items: T[];
  /** Set when more items follow; the key of the last item returned. */
  readonly nextCursor?: SortKey;
}

/** The `limit` items after `cursor` (or from the start) of an already sorted list. */
export function pageAfter<T>(
  sorted: readonly T[],
  order: SortOrder<T>,
  cursor: SortKey | undefined,
  limit: number,
): Page<T> {
  const start = cursor === undefined ? 0 : firstAfter(sorted, order, cursor);
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length && items.length > 0;
  return { items, nextCursor: more ? order.key(items[items.length - 1]!) : undefined };
}

function firstAfter<T>(sorted: readonly T[], order: SortOrder<T>, cursor: SortKey): number {
  const direction = order.descending ? -1 : 1;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (direction * compareSortKeys(order.key(sorted[mid]!), cursor) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Issues and checks NextTokens. Tokens are only valid for the emulator instance that issued them. */
export class PageTokens {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  encode(scope: string, cursor: SortKey): string {
    const payload = Buffer.from(JSON.stringify({ s: scopeHash(scope), c: cursor }), 'utf8').toString(
      'base64url',
    );
    return `${payload}.${this.mac(payload)}`;
  }

  /** The cursor inside `token`, or undefined if it is malformed, forged, or from another query. */
  decode(scope: string, token: string): SortKey | undefined {
    const [payload, mac, extra] = token.split('.');
    if (payload === undefined || mac === undefined || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const actual = Buffer.from(mac);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        s?: unknown;
        c?: unknown;
      };
      if (parsed.s !== scopeHash(scope) || !Array.isArray(parsed.c)) return undefined;
      return parsed.c.every((part) => typeof part === 'string' || typeof part === 'number')
        ? (parsed.c as SortValue[])
        : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }
}

function scopeHash(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 16);
}

/**
 * Remembers sorted result sets per query while the underlying store's version is unchanged, so
 * walking N pages of a large result costs one filter+sort, not N.
 */
export class ResultCache {
  private readonly entries = new Map<string, { version: string; items: unknown[] }>();

  constructor(private readonly capacity = 64) {}

  get<T>(scope: string, version: string, compute: () => T[]): T[] {
    const hit = this.entries.get(scope);
    if (hit && hit.version === version) {
      this.entries.delete(scope);
      this.entries.set(scope, hit);
      return hit.items as T[];
    }
    const items = compute();
    this.entries.set(scope, { version, items });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return items;
  }
}

export interface PageRequest<T> {
  /** Identifies the query (operation + filters + sort); tokens are only valid for the same scope. */
  readonly scope: string;
  /** Changes whenever the underlying data changes (invalidates the cached result set). */
  readonly version: string | number;
  /** The matching items, in any order. */
  readonly items: () => T[];
  readonly order: SortOrder<T>;
  readonly nextToken?: string;
  readonly limit: number;
  /** The error to throw for a token that is not valid for this query. */
  readonly invalidToken: () => Error;
}

export interface PageResult<T> {
  readonly items: T[];
  readonly nextToken?: string;
  /** How many items match in total. */
  readonly total: number;
}

/** Sorts, caches and pages result sets; one per emulator so tokens never cross emulators. */
export class Paginator {
  private readonly tokens = new PageTokens();
  private readonly cache = new ResultCache();

  page<T>(request: PageRequest<T>): PageResult<T> {
    const cursor =
      request.nextToken === undefined ? undefined : this.tokens.decode(request.scope, request.nextToken);
    if (request.nextToken !== undefined && cursor === undefined) throw request.invalidToken();
    const sorted = this.cache.get(request.scope, String(request.version), () =>
      sortItems(request.items(), request.order),
    );
    const page = pageAfter(sorted, request.order, cursor, request.limit);
    return {
      items: page.items,
      nextToken:
        page.nextCursor === undefined ? undefined : this.tokens.encode(request.scope, page.nextCursor),
      total: sorted.length,
    };
  }

  /** For operations that page by themselves (S3 ListObjectsV2): a token for `cursor` in `scope`. */
  encodeToken(scope: string, cursor: SortKey): string {
    return this.tokens.encode(scope, cursor);
  }

  decodeToken(scope: string, token: string): SortKey | undefined {
    return this.tokens.decode(scope, token);
  }
}
