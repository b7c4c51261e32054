import autocannon from 'autocannon';

/** Runs one autocannon load and resolves with its result. */
export function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolveLoad, rejectLoad) => {
    autocannon(options, (error, result) => (error ? rejectLoad(error) : resolveLoad(result)));
  });
}

/** Requests that did not succeed: socket errors, timeouts and non-2xx answers. */
export function failures(result: autocannon.Result): number {
  return result.errors + result.non2xx + result.timeouts;
}
