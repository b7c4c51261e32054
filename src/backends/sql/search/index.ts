/**
 * Search over the SQL schema: MLflow's filter and order semantics, keyset-paged (no OFFSET), with
 * query shapes chosen so the engine walks an index instead of the whole table.
 */
export { searchRuns } from './run-search.js';
export { searchExperiments } from './experiment-search.js';
export { searchLoggedModels } from './logged-model-search.js';
