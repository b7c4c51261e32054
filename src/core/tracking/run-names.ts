/**
 * Names for runs created without one, in MLflow's `adjective-noun-123` shape (`brave-otter-417`).
 * Keel's own word lists: short, friendly, and safe in URLs, file names and filters.
 */

const adjectives = (
  'agile amber ancient bold brave bright calm candid clever cosmic crisp curious daring dapper ' +
  'eager electric fearless fluffy gentle gleaming golden graceful happy hidden humble jolly keen ' +
  'kind lively lucky mellow merry mighty nimble noble patient playful polished quiet radiant rapid ' +
  'serene silent silver sleek steady sunny swift tidy vivid wandering whimsical wise witty zesty'
).split(' ');

const nouns = (
  'albatross badger beacon bison canyon comet condor coral crane delta dolphin ember falcon fern ' +
  'finch fjord gecko glacier harbor hare heron ibis island jaguar kestrel koala lantern lark lemur ' +
  'lynx maple meadow meteor moose nebula newt oak orca otter panda pebble pine quail raven reef ' +
  'river robin salmon sparrow summit tiger tundra walrus willow yak'
).split(' ');

/** An index in [0, size) from a random number, whatever the number (NaN and out-of-range clamp). */
function randomIndex(random: () => number, size: number): number {
  const index = Math.floor(random() * size);
  return Number.isFinite(index) ? Math.min(size - 1, Math.max(0, index)) : 0;
}

/**
 * A random `adjective-noun-number` run name, the number in 0..999.
 *
 * @param random a source of numbers in [0, 1), `Math.random` by default (inject one for tests)
 * @example
 * generateRunName() // 'brave-otter-417'
 */
export function generateRunName(random: () => number = Math.random): string {
  const adjective = adjectives[randomIndex(random, adjectives.length)];
  const noun = nouns[randomIndex(random, nouns.length)];
  return `${adjective}-${noun}-${randomIndex(random, 1000)}`;
}

/** The word lists, for tests and for anyone who wants to recognise a generated name. */
export const runNameWords: { readonly adjectives: readonly string[]; readonly nouns: readonly string[] } = {
  adjectives,
  nouns,
};
