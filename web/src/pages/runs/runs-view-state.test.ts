import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRunsView, writeRunsView, type RunsView } from './runs-view-state.js';

describe('the runs view in the URL', () => {
  it('reads what a shared link holds', () => {
    const params = new URLSearchParams(
      `filter=${encodeURIComponent("params.model = 'tree'")}&sort=-metrics.loss&cols=metrics.loss,params.lr&view=deleted&group=params.model`,
    );
    expect(readRunsView(params)).toEqual({
      filter: "params.model = 'tree'",
      sort: { column: 'metrics.loss', descending: true },
      columns: ['metrics.loss', 'params.lr'],
      viewType: 'DELETED_ONLY',
      groupBy: 'params.model',
    });
  });

  it('leaves out what is default, and keeps parameters it does not own', () => {
    const written = writeRunsView(
      { filter: '', sort: undefined, columns: undefined, viewType: 'ACTIVE_ONLY', groupBy: undefined },
      new URLSearchParams('filter=x&other=1'),
    );
    expect(written.toString()).toBe('other=1');
  });

  it('round-trips any view (an empty column list stays empty, not default)', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_ ./-]{1,20}$/);
    const view = fc.record<RunsView>({
      filter: fc.string().map((text) => text.trim()),
      sort: fc.option(fc.record({ column: key.map((k) => `metrics.${k}`), descending: fc.boolean() }), {
        nil: undefined,
      }),
      columns: fc.option(fc.array(key.map((k) => `params.${k}`)), { nil: undefined }),
      viewType: fc.constantFrom('ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'),
      groupBy: fc.option(
        key.map((k) => `tags.${k}`),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(view, (original) => {
        const url = writeRunsView(original, new URLSearchParams()).toString();
        expect(readRunsView(new URLSearchParams(url))).toEqual(original);
      }),
    );
  });
});
