import jexl from 'jexl';
import type { AnalysisMetricSpec, Measurement } from './analysis';

/**
 * Analysis conditions are Jexl expressions (an interpreter: it walks the parsed expression and
 * never generates or evals code) over `result`, the query's value: a number for a scalar, a list
 * of numbers for a vector, Argo style: `result[0] >= 0.95`, `max(result) < 3`, `len(result) > 0`.
 */
const conditions = new jexl.Jexl();

function numbers(value: unknown): number[] {
  if (Array.isArray(value))
    return value.filter((item): item is number => typeof item === 'number');
  return typeof value === 'number' ? [value] : [];
}

const CONDITION_FUNCTIONS = {
  len: (value: unknown) => numbers(value).length,
  min: (value: unknown) => Math.min(...numbers(value)),
  max: (value: unknown) => Math.max(...numbers(value)),
  sum: (value: unknown) => numbers(value).reduce((a, b) => a + b, 0),
  isNaN: (value: unknown) => typeof value === 'number' && Number.isNaN(value),
};
conditions.addFunctions(CONDITION_FUNCTIONS);

export const CONDITION_EXAMPLE = '"result[0] >= 0.95"';
const KNOWN_FUNCTIONS = Object.keys(CONDITION_FUNCTIONS).join(', ');

/** A query's value as a condition sees it. */
export type QueryResult = number | readonly number[];

function evaluate(expression: string, result: QueryResult): unknown {
  return conditions.evalSync(expression, { result });
}

/** Why `expression` is not a usable condition, with the fix; null when it is one. */
export function conditionProblem(expression: string): string | null {
  if (expression.trim() === '')
    return `the condition is empty: write an expression over result, e.g. ${CONDITION_EXAMPLE}`;
  if (!/\bresult\b/.test(expression))
    return `the condition never looks at result, so every measurement would end the same: compare the query's value, e.g. ${CONDITION_EXAMPLE}`;
  try {
    conditions.compile(expression);
  } catch (error) {
    return `the condition is not a valid expression (${error instanceof Error ? error.message : String(error)}): write e.g. ${CONDITION_EXAMPLE}, with &&, ||, !, comparisons, arithmetic and the functions ${KNOWN_FUNCTIONS}`;
  }
  // A trial run on a sample vector finds unknown functions and transforms, which compile accepts.
  try {
    evaluate(expression, [1]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not defined/i.test(message))
      return `the condition calls something unknown (${message}): use the functions ${KNOWN_FUNCTIONS}`;
  }
  return null;
}

/** Whether `expression` holds for `result`; an error message when it cannot be evaluated or is not true or false. */
export function checkCondition(
  expression: string,
  result: QueryResult,
): boolean | { error: string } {
  let value: unknown;
  try {
    value = evaluate(expression, result);
  } catch (error) {
    return {
      error: `cannot evaluate ${JSON.stringify(expression)}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return typeof value === 'boolean'
    ? value
    : {
        error: `${JSON.stringify(expression)} gave ${JSON.stringify(value) ?? String(value)}, not true or false`,
      };
}

const MAX_SHOWN = 5;

/** The query's value shortened for the campaign's record, e.g. "[0.97, 0.99, … 12 values]". */
export function showResult(result: QueryResult): string {
  if (typeof result === 'number') return String(result);
  const shown = result.slice(0, MAX_SHOWN).map(String);
  if (result.length > MAX_SHOWN) shown.push(`… ${result.length} values`);
  return `[${shown.join(', ')}]`;
}

/**
 * Judges one measurement as Argo Rollouts does: with only a success condition, Successful when it
 * holds and Failed when not; with only a failure condition, Failed when it holds and Successful
 * when not; with both, Inconclusive when neither holds. No data (an empty vector) is Inconclusive.
 */
export function judgeMeasurement(
  metric: Pick<AnalysisMetricSpec, 'successCondition' | 'failureCondition'>,
  result: QueryResult,
): Measurement {
  const value = showResult(result);
  if (Array.isArray(result) && result.length === 0)
    return {
      phase: 'Inconclusive',
      value,
      message: 'the query returned no data',
    };
  const success =
    metric.successCondition === undefined
      ? undefined
      : checkCondition(metric.successCondition, result);
  const failure =
    metric.failureCondition === undefined
      ? undefined
      : checkCondition(metric.failureCondition, result);
  for (const outcome of [failure, success])
    if (typeof outcome === 'object')
      return { phase: 'Inconclusive', value, message: outcome.error };
  if (failure === true)
    return {
      phase: 'Failed',
      value,
      message: `failureCondition ${metric.failureCondition} held`,
    };
  if (success === true) return { phase: 'Successful', value };
  if (success === false && failure === undefined)
    return {
      phase: 'Failed',
      value,
      message: `successCondition ${metric.successCondition} did not hold`,
    };
  if (success === undefined) return { phase: 'Successful', value };
  return {
    phase: 'Inconclusive',
    value,
    message: `neither successCondition ${metric.successCondition} nor failureCondition ${metric.failureCondition} held`,
  };
}
