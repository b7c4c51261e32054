import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import { parseExperimentFilter, parseLoggedModelFilter, parseRunFilter } from './search-filter.js';
import { MAX_FILTER_CLAUSES, MAX_FILTER_LIST_VALUES, MAX_FILTER_STRING_LENGTH } from './search-scanner.js';
import { rejection } from '../../../test/support/rejection.js';

/** The message of the INVALID_PARAMETER_VALUE KeelError `fn` throws. */

describe('parseRunFilter: accepted filters', () => {
  it('reads nothing from an absent, empty or blank filter', () => {
    expect(parseRunFilter(undefined)).toEqual([]);
    expect(parseRunFilter('')).toEqual([]);
    expect(parseRunFilter('  \n\t ')).toEqual([]);
  });

  it('reads metric clauses with every numeric comparator and number form', () => {
    expect(
      parseRunFilter(
        'metrics.a = 1 AND metrics.b != -2 AND metric.c < 0.5 AND metrics.d <= .25 AND metrics.e > 1e3 AND metrics.f >= -1.5E-2 AND metrics.g>+7',
      ),
    ).toEqual([
      { kind: 'metric', key: 'a', comparator: '=', value: 1 },
      { kind: 'metric', key: 'b', comparator: '!=', value: -2 },
      { kind: 'metric', key: 'c', comparator: '<', value: 0.5 },
      { kind: 'metric', key: 'd', comparator: '<=', value: 0.25 },
      { kind: 'metric', key: 'e', comparator: '>', value: 1000 },
      { kind: 'metric', key: 'f', comparator: '>=', value: -0.015 },
      { kind: 'metric', key: 'g', comparator: '>', value: 7 },
    ]);
  });

  it('reads -0 as 0', () => {
    expect(parseRunFilter('metrics.m = -0')).toEqual([
      { kind: 'metric', key: 'm', comparator: '=', value: 0 },
    ]);
    expect(Object.is((parseRunFilter('metrics.m = -0.0')[0] as { value: number }).value, 0)).toBe(true);
  });

  it('reads every param and tag prefix alias and string comparator', () => {
    expect(
      parseRunFilter(
        "params.a = 'x' and param.b != 'y' and parameter.c LIKE 'z%' and parameters.d ilike '%W' and tags.e = \"v\" and tag.f like '_'",
      ),
    ).toEqual([
      { kind: 'param', key: 'a', comparator: '=', value: 'x' },
      { kind: 'param', key: 'b', comparator: '!=', value: 'y' },
      { kind: 'param', key: 'c', comparator: 'LIKE', value: 'z%' },
      { kind: 'param', key: 'd', comparator: 'ILIKE', value: '%W' },
      { kind: 'tag', key: 'e', comparator: '=', value: 'v' },
      { kind: 'tag', key: 'f', comparator: 'LIKE', value: '_' },
    ]);
  });

  it('reads IS NULL and IS NOT NULL on params and tags, keywords in any case', () => {
    expect(parseRunFilter('params.p IS NULL AND tags.t is  not\tnull AND params.q Is Null')).toEqual([
      { kind: 'param', key: 'p', comparator: 'IS NULL' },
      { kind: 'tag', key: 't', comparator: 'IS NOT NULL' },
      { kind: 'param', key: 'q', comparator: 'IS NULL' },
    ]);
  });

  it('reads quoted keys with backticks and double quotes, and dotted bare keys', () => {
    expect(
      parseRunFilter(
        "metrics.`f1 score` > 0.5 AND tags.\"a.b\" = 'c' AND tags.mlflow.runName = 'r' AND metrics.val/loss < 1 AND `params`.`odd``key` = 'v' AND tags.`back\\`tick` = 'w'",
      ),
    ).toEqual([
      { kind: 'metric', key: 'f1 score', comparator: '>', value: 0.5 },
      { kind: 'tag', key: 'a.b', comparator: '=', value: 'c' },
      { kind: 'tag', key: 'mlflow.runName', comparator: '=', value: 'r' },
      { kind: 'metric', key: 'val/loss', comparator: '<', value: 1 },
      { kind: 'param', key: 'odd`key', comparator: '=', value: 'v' },
      { kind: 'tag', key: 'back`tick', comparator: '=', value: 'w' },
    ]);
  });

  it('reads string escapes: doubled quotes, backslash-quote, double backslash; other backslashes stay', () => {
    expect(
      parseRunFilter(
        "tags.a = 'it''s' AND tags.b = 'it\\'s' AND tags.c = \"say \"\"hi\"\"\" AND tags.d = 'a\\\\b' AND tags.e LIKE 'a\\_b' AND tags.f = ''",
      ).map((clause) => ('value' in clause ? clause.value : undefined)),
    ).toEqual(["it's", "it's", 'say "hi"', 'a\\b', 'a\\_b', '']);
  });

  it('reads run attributes, bare or prefixed, with their aliases', () => {
    expect(
      parseRunFilter(
        "attributes.run_id = 'r1' AND attribute.status != 'FAILED' AND attr.user_id LIKE 'a%' AND run.artifact_uri ILIKE '%s3%' AND run_name = 'n' AND \"run name\" = 'm' AND `Run Name` = 'o' AND start_time >= 10 AND end_time < 20 AND created > 5 AND Created <= 6",
      ),
    ).toEqual([
      { kind: 'attribute', key: 'run_id', comparator: '=', value: 'r1' },
      { kind: 'attribute', key: 'status', comparator: '!=', value: 'FAILED' },
      { kind: 'attribute', key: 'user_id', comparator: 'LIKE', value: 'a%' },
      { kind: 'attribute', key: 'artifact_uri', comparator: 'ILIKE', value: '%s3%' },
      { kind: 'attribute', key: 'run_name', comparator: '=', value: 'n' },
      { kind: 'attribute', key: 'run_name', comparator: '=', value: 'm' },
      { kind: 'attribute', key: 'run_name', comparator: '=', value: 'o' },
      { kind: 'attribute', key: 'start_time', comparator: '>=', value: 10 },
      { kind: 'attribute', key: 'end_time', comparator: '<', value: 20 },
      { kind: 'attribute', key: 'created', comparator: '>', value: 5 },
      { kind: 'attribute', key: 'created', comparator: '<=', value: 6 },
    ]);
  });

  it('reads run_id IN / NOT IN lists and end_time IS NULL', () => {
    expect(
      parseRunFilter(
        "attribute.run_id IN ('a','b') AND run_id not in (\"c\" ,  'd' ) AND attributes.end_time IS NULL AND end_time IS NOT NULL",
      ),
    ).toEqual([
      { kind: 'attribute', key: 'run_id', comparator: 'IN', values: ['a', 'b'] },
      { kind: 'attribute', key: 'run_id', comparator: 'NOT IN', values: ['c', 'd'] },
      { kind: 'attribute', key: 'end_time', comparator: 'IS NULL' },
      { kind: 'attribute', key: 'end_time', comparator: 'IS NOT NULL' },
    ]);
  });

  it('reads dataset clauses', () => {
    expect(
      parseRunFilter(
        "datasets.name = 'd' AND dataset.digest IN ('x', 'y') AND datasets.context LIKE 'train%' AND datasets.name NOT IN ('z')",
      ),
    ).toEqual([
      { kind: 'dataset', key: 'name', comparator: '=', value: 'd' },
      { kind: 'dataset', key: 'digest', comparator: 'IN', values: ['x', 'y'] },
      { kind: 'dataset', key: 'context', comparator: 'LIKE', value: 'train%' },
      { kind: 'dataset', key: 'name', comparator: 'NOT IN', values: ['z'] },
    ]);
  });

  it('needs no spaces around symbols and takes any whitespace between tokens', () => {
    expect(parseRunFilter("metrics.a>=1 AND\nparams.b='x'\tand start_time<5")).toEqual([
      { kind: 'metric', key: 'a', comparator: '>=', value: 1 },
      { kind: 'param', key: 'b', comparator: '=', value: 'x' },
      { kind: 'attribute', key: 'start_time', comparator: '<', value: 5 },
    ]);
  });

  it('matches entity prefixes in any case but attribute names exactly', () => {
    expect(parseRunFilter('METRICS.m > 1')).toEqual([
      { kind: 'metric', key: 'm', comparator: '>', value: 1 },
    ]);
    expect(rejection(() => parseRunFilter("RUN_NAME = 'x'"))).toMatch(
      /^Invalid attribute key 'RUN_NAME' specified/,
    );
  });
});

describe('parseRunFilter: rejected filters', () => {
  it('rejects OR with MLflow wording and the position', () => {
    expect(rejection(() => parseRunFilter('metrics.a > 1 OR metrics.b > 2'))).toBe(
      "Invalid clause(s) in filter string: 'OR'. OR is not supported; only AND joins clauses (at position 15)",
    );
    expect(rejection(() => parseRunFilter("params.a = 'x' or params.b = 'y'"))).toMatch(
      /^Invalid clause\(s\) in filter string: 'or'\./,
    );
  });

  it('rejects parentheses', () => {
    expect(rejection(() => parseRunFilter('(metrics.a > 1)'))).toBe(
      "Invalid clause(s) in filter string: '('. Parentheses are not supported; join clauses with AND (at position 1)",
    );
    expect(rejection(() => parseRunFilter('metrics.a > 1)'))).toMatch(
      /^Invalid clause\(s\) in filter string: '\)'\. Parentheses are not supported.*\(at position 14\)$/,
    );
  });

  it('rejects clauses not joined by AND, and a dangling AND', () => {
    expect(rejection(() => parseRunFilter('metrics.a > 1 metrics.b > 2'))).toBe(
      "Invalid clause(s) in filter string: 'metrics'. Clauses must be joined with AND (at position 15)",
    );
    expect(rejection(() => parseRunFilter('metrics.a > 1 AND '))).toBe(
      "Expected a clause after 'AND', found the end of the filter (at position 15)",
    );
    expect(rejection(() => parseRunFilter("params.a = 'x'; drop table runs"))).toMatch(
      /^Invalid clause\(s\) in filter string: ';'/,
    );
  });

  it('rejects a non-numeric metric value with MLflow wording', () => {
    expect(rejection(() => parseRunFilter("metrics.m > '1'"))).toBe(
      "Expected numeric value type for metric. Found '1' (at position 13)",
    );
    expect(rejection(() => parseRunFilter('metrics.m > abc'))).toBe(
      'Expected numeric value type for metric. Found abc (at position 13)',
    );
  });

  it('rejects an unknown entity with MLflow wording', () => {
    expect(rejection(() => parseRunFilter("foo.bar = 'x'"))).toBe(
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset'] (at position 1)",
    );
  });

  it('rejects an unknown attribute with the valid keys', () => {
    expect(rejection(() => parseRunFilter("  attributes.foo = 'x'"))).toBe(
      "Invalid attribute key 'foo' specified. Valid keys are ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'start_time', 'end_time', 'created'] (at position 3)",
    );
    expect(rejection(() => parseRunFilter("lifecycle_stage = 'deleted'"))).toMatch(
      /^Invalid attribute key 'lifecycle_stage' specified/,
    );
  });

  it('rejects an unknown dataset key', () => {
    expect(rejection(() => parseRunFilter("datasets.size = 'x'"))).toBe(
      "Invalid dataset key 'size' specified. Valid keys are ['name', 'digest', 'context'] (at position 1)",
    );
  });

  it('rejects comparators an entity does not take', () => {
    expect(rejection(() => parseRunFilter("metrics.m LIKE 'x'"))).toBe(
      "Invalid comparator 'LIKE' not one of ['=', '!=', '<', '<=', '>', '>='] for metric 'm' (at position 11)",
    );
    expect(rejection(() => parseRunFilter('metrics.m IS NULL'))).toMatch(
      /^Invalid comparator 'IS NULL' not one of/,
    );
    expect(rejection(() => parseRunFilter('params.p > 1'))).toBe(
      "Invalid comparator '>' not one of ['=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'] for parameter 'p' (at position 10)",
    );
    expect(rejection(() => parseRunFilter("tags.t IN ('a')"))).toMatch(
      /^Invalid comparator 'IN' not one of .* for tag 't'/,
    );
    expect(rejection(() => parseRunFilter("start_time LIKE '1%'"))).toMatch(
      /^Invalid comparator 'LIKE' not one of .* for attribute 'start_time'/,
    );
    expect(rejection(() => parseRunFilter('start_time IS NULL'))).toMatch(/^Invalid comparator 'IS NULL'/);
    expect(rejection(() => parseRunFilter("status > 'A'"))).toMatch(/^Invalid comparator '>' not one of/);
    expect(rejection(() => parseRunFilter('run_name IS NULL'))).toMatch(/^Invalid comparator 'IS NULL'/);
    expect(rejection(() => parseRunFilter('datasets.name > 1'))).toMatch(
      /^Invalid comparator '>' .* for dataset 'name'/,
    );
  });

  it('allows lists only for run_id (and datasets)', () => {
    expect(rejection(() => parseRunFilter("run_name IN ('a')"))).toBe(
      "Only the 'run_id' attribute supports comparison with a list of quoted string values. (at position 10)",
    );
  });

  it('rejects malformed comparators', () => {
    expect(rejection(() => parseRunFilter('metrics.m == 1'))).toBe(
      "Invalid comparator '==': use '=' (at position 11)",
    );
    expect(rejection(() => parseRunFilter('metrics.m <> 1'))).toBe(
      "Invalid comparator '<>': use '!=' (at position 11)",
    );
    expect(rejection(() => parseRunFilter("params.p NOT LIKE 'x'"))).toMatch(
      /^Invalid comparator 'NOT LIKE': NOT is only supported in NOT IN/,
    );
    expect(rejection(() => parseRunFilter('params.p IS EMPTY'))).toMatch(/^Invalid comparator 'IS EMPTY'/);
    expect(rejection(() => parseRunFilter("params.p CONTAINS 'x'"))).toBe(
      "Expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) after 'params.p', found 'CONTAINS' (at position 10)",
    );
    expect(rejection(() => parseRunFilter('metrics.m ! 1'))).toMatch(
      /^Expected a comparison operator .* found '!'/,
    );
    expect(rejection(() => parseRunFilter('metrics.m'))).toMatch(
      /found the end of the input \(at position 10\)$/,
    );
  });

  it('rejects values of the wrong type or shape', () => {
    expect(rejection(() => parseRunFilter('params.p = 1'))).toBe(
      "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1 (at position 12)",
    );
    expect(rejection(() => parseRunFilter('tags.t = abc'))).toMatch(
      /^Expected a quoted string value for tag/,
    );
    expect(rejection(() => parseRunFilter('tags.t = `abc`'))).toMatch(/Got value `abc`/);
    expect(rejection(() => parseRunFilter('params.p = NULL'))).toBe(
      "Expected a quoted string value for parameter (e.g. 'my-value'). Got value NULL; to match a missing key use IS NULL or IS NOT NULL (at position 12)",
    );
    expect(rejection(() => parseRunFilter("start_time > 'x'"))).toBe(
      "Expected numeric value type for numeric attribute: start_time. Found 'x' (at position 14)",
    );
    expect(rejection(() => parseRunFilter('start_time > 1.5'))).toBe(
      'Expected an integer value for numeric attribute: start_time. Found 1.5 (at position 14)',
    );
    expect(rejection(() => parseRunFilter('status = 1'))).toMatch(
      /^Expected a quoted string value for attributes/,
    );
    expect(rejection(() => parseRunFilter("run_id IN 'a'"))).toBe(
      "Expected a list of quoted strings such as ('a', 'b') after IN, found 'a' (at position 11)",
    );
    expect(rejection(() => parseRunFilter("run_id = ('a')"))).toMatch(
      /^Expected a quoted string value for attributes/,
    );
    expect(rejection(() => parseRunFilter('datasets.name = 1'))).toMatch(
      /^Expected a quoted string value for dataset/,
    );
  });

  it('rejects malformed numbers, strings and lists', () => {
    expect(rejection(() => parseRunFilter('metrics.m > 1.2.3'))).toBe(
      "Invalid number '1.2.3' (at position 13)",
    );
    expect(rejection(() => parseRunFilter('metrics.m > 1e'))).toBe("Invalid number '1e' (at position 13)");
    expect(rejection(() => parseRunFilter('metrics.m > 12abc'))).toBe(
      "Invalid number '12abc' (at position 13)",
    );
    expect(rejection(() => parseRunFilter('metrics.m > - 1'))).toBe("Invalid number '-' (at position 13)");
    expect(rejection(() => parseRunFilter('metrics.m > 1e999'))).toBe(
      "Number '1e999' is out of range (at position 13)",
    );
    expect(rejection(() => parseRunFilter("tags.t = 'open"))).toBe(
      "Unterminated quoted text starting with ''open' (at position 10)",
    );
    expect(rejection(() => parseRunFilter("tags.t = 'a\\'"))).toMatch(/^Unterminated quoted text/);
    expect(rejection(() => parseRunFilter('run_id IN ()'))).toBe(
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list (at position 11)',
    );
    expect(rejection(() => parseRunFilter("run_id IN ('a', 1)"))).toBe(
      "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list: expected a quoted string, found '1' (at position 17)",
    );
    expect(rejection(() => parseRunFilter("run_id IN ('a' 'b')"))).toMatch(
      /ill-formed list: expected ',' or '\)'/,
    );
    expect(rejection(() => parseRunFilter("run_id IN ('a',)"))).toMatch(
      /ill-formed list: expected a quoted string/,
    );
    expect(rejection(() => parseRunFilter("run_id IN ('a'"))).toMatch(
      /ill-formed list: expected ',' or '\)', found the end/,
    );
    expect(rejection(() => parseRunFilter('metrics.m >'))).toBe(
      "Missing value after comparator '>' (at position 12)",
    );
    expect(rejection(() => parseRunFilter('metrics.m > )'))).toBe(
      "Expected a value after comparator '>', found ')' (at position 13)",
    );
  });

  it('rejects malformed keys', () => {
    expect(rejection(() => parseRunFilter("'tags.x' = 'a'"))).toMatch(
      /^Expected a key such as metrics.<name>.*found the string ''tags.x''; quote keys with backticks/,
    );
    expect(rejection(() => parseRunFilter("= 'a'"))).toBe(
      "Expected a key such as metrics.<name>, params.<name>, tags.<name> or an attribute name, found '=' (at position 1)",
    );
    expect(rejection(() => parseRunFilter('metrics. > 1'))).toBe(
      "Missing key name after 'metrics.', found ' ' (at position 9)",
    );
    expect(rejection(() => parseRunFilter('metrics.`` > 1'))).toBe(
      "Empty key name in 'metrics.``' (at position 9)",
    );
    expect(rejection(() => parseRunFilter('metrics.`a`b > 1'))).toBe(
      "Unexpected 'b' after the quoted key 'metrics.`a`' (at position 12)",
    );
    expect(rejection(() => parseRunFilter('metrics.`open > 1'))).toMatch(/^Unterminated quoted text/);
  });

  it('bounds the number of clauses and list values', () => {
    const many = Array.from({ length: MAX_FILTER_CLAUSES + 1 }, (_, i) => `metrics.m${i} > 0`).join(' AND ');
    expect(rejection(() => parseRunFilter(many))).toMatch(/^A filter may hold at most 100 clauses/);
    const fine = Array.from({ length: MAX_FILTER_CLAUSES }, (_, i) => `metrics.m${i} > 0`).join(' AND ');
    expect(parseRunFilter(fine)).toHaveLength(MAX_FILTER_CLAUSES);
    const list = Array.from({ length: MAX_FILTER_LIST_VALUES + 1 }, (_, i) => `'r${i}'`).join(',');
    expect(rejection(() => parseRunFilter(`run_id IN (${list})`))).toMatch(
      /^A filter may hold at most 10000 values across all its IN and NOT IN lists/,
    );
  });

  it('bounds the list values of all lists together, not per list', () => {
    const half = Array.from({ length: MAX_FILTER_LIST_VALUES / 2 }, (_, i) => `'r${i}'`).join(',');
    expect(parseRunFilter(`run_id IN (${half}) AND run_id NOT IN (${half})`)).toHaveLength(2);
    expect(
      rejection(() => parseRunFilter(`run_id IN (${half}) AND run_id NOT IN (${half}) AND run_id IN ('x')`)),
    ).toBe(
      'A filter may hold at most 10000 values across all its IN and NOT IN lists (at position ' +
        `${`run_id IN (${half}) AND run_id NOT IN (${half}) AND run_id IN `.length + 1})`,
    );
  });

  it('bounds quoted text at MAX_FILTER_STRING_LENGTH characters', () => {
    const longest = 'é'.repeat(MAX_FILTER_STRING_LENGTH);
    expect(parseRunFilter(`tags.t LIKE '${longest}'`)).toHaveLength(1);
    const message = rejection(() => parseRunFilter(`tags.t LIKE '${longest}%'`));
    expect(message).toMatch(
      /^Quoted text '.{80}\.\.\.' is 8001 characters long; at most 8000 are allowed \(at position 13\)$/u,
    );
    expect(rejection(() => parseRunFilter(`tags.\`${'k'.repeat(8001)}\` = 'v'`))).toMatch(
      /at most 8000 are allowed/,
    );
  });

  it('cuts long offending tokens in messages', () => {
    const message = rejection(() => parseRunFilter(`${'x'.repeat(5000)}.k = 'v'`));
    expect(message.length).toBeLessThan(300);
    expect(message).toContain(`'${'x'.repeat(80)}...'`);
  });
});

describe('parseExperimentFilter', () => {
  it('reads name, times and tags', () => {
    expect(
      parseExperimentFilter(
        "name LIKE 'prod-%' AND attribute.name != 'x' AND creation_time > 5 AND last_update_time <= 9 AND tags.team = 'core' AND tag.`a b` ILIKE '%q' AND tags.gone IS NULL AND tags.here IS NOT NULL",
      ),
    ).toEqual([
      { kind: 'attribute', key: 'name', comparator: 'LIKE', value: 'prod-%' },
      { kind: 'attribute', key: 'name', comparator: '!=', value: 'x' },
      { kind: 'attribute', key: 'creation_time', comparator: '>', value: 5 },
      { kind: 'attribute', key: 'last_update_time', comparator: '<=', value: 9 },
      { kind: 'tag', key: 'team', comparator: '=', value: 'core' },
      { kind: 'tag', key: 'a b', comparator: 'ILIKE', value: '%q' },
      { kind: 'tag', key: 'gone', comparator: 'IS NULL' },
      { kind: 'tag', key: 'here', comparator: 'IS NOT NULL' },
    ]);
  });

  it('rejects other entities, keys, comparators and values', () => {
    expect(rejection(() => parseExperimentFilter('metrics.m > 1'))).toBe(
      "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags') (at position 1)",
    );
    expect(rejection(() => parseExperimentFilter("experiment_id = '1'"))).toBe(
      "Invalid attribute key 'experiment_id' specified. Valid keys are ['name', 'creation_time', 'last_update_time'] (at position 1)",
    );
    expect(rejection(() => parseExperimentFilter('name > 1'))).toMatch(/^Invalid comparator '>' not one of/);
    expect(rejection(() => parseExperimentFilter("name IN ('a')"))).toMatch(
      /^Only the 'run_id' attribute supports/,
    );
    expect(rejection(() => parseExperimentFilter("creation_time = 'x'"))).toMatch(
      /^Expected numeric value type for numeric attribute: creation_time/,
    );
    expect(rejection(() => parseExperimentFilter('name IS NULL'))).toMatch(/^Invalid comparator 'IS NULL'/);
    expect(rejection(() => parseExperimentFilter("name = 'a' OR name = 'b'"))).toMatch(
      /^Invalid clause\(s\) in filter string: 'OR'/,
    );
  });
});

describe('parseLoggedModelFilter', () => {
  it('reads attributes with aliases, metrics, params and tags', () => {
    expect(
      parseLoggedModelFilter(
        "name = 'model' AND source_run_id = 'abc' AND model_id IN ('m-1', 'm-2') AND status != 'LOGGED_MODEL_READY' AND model_type LIKE 'sk%' AND creation_timestamp > 1 AND creation_time < 2 AND creation_timestamp_ms >= 3 AND last_updated_timestamp_ms <= 4 AND last_updated_time = 5 AND metrics.rmse < 0.5 AND params.alpha = '0.1' AND tags.t IS NULL",
      ),
    ).toEqual([
      { kind: 'attribute', key: 'name', comparator: '=', value: 'model' },
      { kind: 'attribute', key: 'source_run_id', comparator: '=', value: 'abc' },
      { kind: 'attribute', key: 'model_id', comparator: 'IN', values: ['m-1', 'm-2'] },
      { kind: 'attribute', key: 'status', comparator: '!=', value: 'LOGGED_MODEL_READY' },
      { kind: 'attribute', key: 'model_type', comparator: 'LIKE', value: 'sk%' },
      { kind: 'attribute', key: 'creation_timestamp', comparator: '>', value: 1 },
      { kind: 'attribute', key: 'creation_timestamp', comparator: '<', value: 2 },
      { kind: 'attribute', key: 'creation_timestamp', comparator: '>=', value: 3 },
      { kind: 'attribute', key: 'last_updated_timestamp', comparator: '<=', value: 4 },
      { kind: 'attribute', key: 'last_updated_timestamp', comparator: '=', value: 5 },
      { kind: 'metric', key: 'rmse', comparator: '<', value: 0.5 },
      { kind: 'param', key: 'alpha', comparator: '=', value: '0.1' },
      { kind: 'tag', key: 't', comparator: 'IS NULL' },
    ]);
  });

  it('rejects datasets, unknown attributes and wrong value types', () => {
    expect(rejection(() => parseLoggedModelFilter("datasets.name = 'x'"))).toBe(
      "Invalid entity type 'datasets'. Valid values are ['metric', 'parameter', 'tag', 'attribute'] (at position 1)",
    );
    expect(rejection(() => parseLoggedModelFilter("run_id = 'x'"))).toMatch(
      /^Invalid attribute key 'run_id' specified\. Valid keys are \['name', 'model_id', 'model_type', 'status', 'source_run_id', 'creation_timestamp', 'last_updated_timestamp'\]/,
    );
    expect(rejection(() => parseLoggedModelFilter('name = 1'))).toMatch(
      /^Expected a quoted string value for attributes/,
    );
    expect(rejection(() => parseLoggedModelFilter("creation_timestamp > '1'"))).toMatch(
      /^Expected numeric value type for numeric attribute: creation_timestamp/,
    );
    expect(rejection(() => parseLoggedModelFilter("creation_timestamp IN ('1')"))).toMatch(
      /^Invalid comparator 'IN' not one of/,
    );
  });
});
