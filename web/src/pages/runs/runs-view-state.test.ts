import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxColumnWidth, minColumnWidth } from './column-layout.js';
import { readRunsView, writeRunsView, type RunsView } from './runs-view-state.js';

describe('the runs view in the URL', () => {
  it('reads what a shared link holds', () => {
    const params = new URLSearchParams(
      `filter=${encodeURIComponent("params.model = 'tree'")}&sort=-metrics.loss&cols=metrics.loss,params.lr&widths=metrics.loss:180,attributes.status:64&view=deleted&group=params.model`,
    );
    expect(readRunsView(params)).toEqual({
      filter: "params.model = 'tree'",
      sort: { column: 'metrics.loss', descending: true },
      columns: ['metrics.loss', 'params.lr'],
      widths: new Map([
        ['metrics.loss', 180],
        ['attributes.status', 64],
      ]),
      viewType: 'DELETED_ONLY',
      groupBy: 'params.model',
    });
  });

  it('leaves out what is default, and keeps parameters it does not own', () => {
    const written = writeRunsView(
      {
        filter: '',
        sort: undefined,
        columns: undefined,
        widths: new Map(),
        viewType: 'ACTIVE_ONLY',
        groupBy: undefined,
      },
      new URLSearchParams('filter=x&other=1&widths=metrics.loss:90'),
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
      widths: fc
        .array(
          fc.tuple(
            key.map((k) => `metrics.${k}`),
            fc.integer({ min: minColumnWidth, max: maxColumnWidth }),
          ),
        )
        .map((entries) => new Map(entries)),
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
