/** One page of a paginated AWS list call: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Every item of a paginated list call, page after page, stopping after `maxPages` so a runaway
 * listing cannot hang the caller.
 */
export async function collectPages<T>(
  maxPages: number,
  fetch: (nextToken?: string) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetch(nextToken);
    all.push(...result.items);
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return all;
}
