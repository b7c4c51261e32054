/**
 * The UI's addresses, built in one place so that links and the route table agree. Every view is a
 * deep link: what it shows (filters, sort, columns) lives in the query string its page defines.
 */
export const paths = {
  experiments: () => '/experiments',
  /** The runs of one or several experiments (`/experiments/1,4/runs`). */
  runs: (experimentIds: readonly string[], search = '') =>
    `/experiments/${experimentIds.map(encodeURIComponent).join(',')}/runs${search ? `?${search}` : ''}`,
  run: (runId: string, tab?: string) =>
    `/runs/${encodeURIComponent(runId)}${tab ? `?tab=${encodeURIComponent(tab)}` : ''}`,
  /** Runs side by side (`/compare?runs=a,b,c`). */
  compare: (runIds: readonly string[]) => `/compare?runs=${runIds.map(encodeURIComponent).join(',')}`,
};

/** `"1,4"` from a route parameter as experiment ids, without empties or duplicates. */
export function parseExperimentIds(param: string | undefined): string[] {
  const ids = (param ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return [...new Set(ids)];
}
