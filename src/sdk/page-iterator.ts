import type { Page } from '../core/tracking/index.js';

/**
 * Every item of a paged search, fetching the next page only when the caller has consumed the
 * previous one.
 *
 * @example
 * for await (const run of iteratePages((token) => client.runs.search({ experimentIds: ['1'], pageToken: token }))) {}
 */
export async function* iteratePages<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.nextPageToken;
  } while (token);
}
