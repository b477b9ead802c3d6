import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analysisPhase,
  countMeasurement,
  describeAnalysisRun,
  durationSeconds,
  newMetricRun,
  type Measurement,
  type MetricRunSummary,
} from './analysis';
import { checkCondition, judgeMeasurement } from './analysisConditions';

describe('analysis conditions', () => {
  it('read result Argo style, as a vector or a scalar', () => {
    assert.equal(checkCondition('result[0] >= 0.95', [0.97]), true);
    assert.equal(checkCondition('result[0] >= 0.95', [0.9]), false);
    assert.equal(checkCondition('result > 2 && result < 4', 3), true);
    assert.equal(checkCondition('max(result) < 3', [1, 2, 5]), false);
    assert.equal(checkCondition('min(result) >= 1', [1, 2, 5]), true);
    assert.equal(checkCondition('len(result) == 3', [1, 2, 5]), true);
    assert.equal(checkCondition('sum(result) == 8', [1, 2, 5]), true);
    assert.equal(checkCondition('isNaN(result[0])', [Number.NaN]), true);
  });

  it('run no code: there is nothing to call but the listed functions', () => {
    assert.deepEqual(
      Object.keys(checkCondition('constructor("return 1")()', [1]) as object),
      ['error'],
    );
    assert.deepEqual(
      Object.keys(checkCondition('result|eval', [1]) as object),
      ['error'],
    );
  });

  it('say so when a condition is not true or false', () => {
    assert.deepEqual(checkCondition('result[0]', [1]), {
      error: '"result[0]" gave 1, not true or false',
    });
  });
});

describe('a measurement', () => {
  const success = { successCondition: 'result[0] >= 0.95' };
  const failure = { failureCondition: 'result[0] < 0.5' };
  const both = { ...success, ...failure };

  it('with a success condition only: Successful when it holds, Failed when not', () => {
    assert.equal(judgeMeasurement(success, [0.99]).phase, 'Successful');
    assert.deepEqual(judgeMeasurement(success, [0.5]), {
      phase: 'Failed',
      value: '[0.5]',
      message: 'successCondition result[0] >= 0.95 did not hold',
    });
  });

  it('with a failure condition only: Failed when it holds, Successful when not', () => {
    assert.equal(judgeMeasurement(failure, [0.2]).phase, 'Failed');
    assert.equal(judgeMeasurement(failure, [0.7]).phase, 'Successful');
  });

  it('with both: Inconclusive when neither holds', () => {
    assert.equal(judgeMeasurement(both, [0.99]).phase, 'Successful');
    assert.equal(judgeMeasurement(both, [0.2]).phase, 'Failed');
    assert.match(
      judgeMeasurement(both, [0.7]).message ?? '',
      /neither successCondition .* nor failureCondition/,
    );
    assert.equal(judgeMeasurement(both, [0.7]).phase, 'Inconclusive');
  });

  it('is Inconclusive with no data or a condition that cannot be evaluated', () => {
    assert.deepEqual(judgeMeasurement(success, []), {
      phase: 'Inconclusive',
      value: '[]',
      message: 'the query returned no data',
    });
    assert.equal(
      judgeMeasurement({ successCondition: 'result[0]' }, [1]).phase,
      'Inconclusive',
    );
  });

  it('records a long vector shortened', () => {
    assert.equal(
      judgeMeasurement(success, [1, 1, 1, 1, 1, 1, 1]).value,
      '[1, 1, 1, 1, 1, … 7 values]',
    );
  });
});

describe("a metric's run", () => {
  const metric = { count: 3, failureLimit: 1, inconclusiveLimit: 0 };
  const measure = (phases: Measurement['phase'][]): MetricRunSummary =>
    phases.reduce(
      (run, phase) => countMeasurement(metric, run, { phase, value: '[1]' }),
      newMetricRun('m'),
    );

  it('is Running until count measurements are in, then Successful', () => {
    assert.equal(measure(['Successful', 'Successful']).phase, 'Running');
    assert.equal(
      measure(['Successful', 'Successful', 'Successful']).phase,
      'Successful',
    );
  });

  it('fails once failed measurements exceed failureLimit, without waiting for the rest', () => {
    assert.equal(
      measure(['Failed', 'Successful', 'Successful']).phase,
      'Successful',
    );
    assert.equal(measure(['Failed', 'Failed']).phase, 'Failed');
  });

  it('is Inconclusive once inconclusive measurements exceed inconclusiveLimit', () => {
    assert.equal(measure(['Inconclusive']).phase, 'Inconclusive');
  });

  it('makes a run Failed if any metric failed, else Inconclusive if any was', () => {
    const ok = measure(['Successful', 'Successful', 'Successful']);
    const failed = measure(['Failed', 'Failed']);
    const unsure = measure(['Inconclusive']);
    assert.equal(analysisPhase([ok, unsure, failed]), 'Failed');
    assert.equal(analysisPhase([ok, unsure]), 'Inconclusive');
    assert.equal(analysisPhase([ok, ok]), 'Successful');
    assert.equal(analysisPhase([ok, measure(['Successful'])]), 'Running');
  });

  it('is described by the metrics that decided it', () => {
    const failed = { ...measure(['Failed', 'Failed']), name: 'error-rate' };
    assert.equal(
      describeAnalysisRun({
        batch: 1,
        phase: 'Failed',
        metrics: [failed, measure(['Successful'])],
        startedAt: '2026-01-01T00:00:00Z',
      }),
      'analysis after batch 2 failed: error-rate: 2 of 2 measurement(s) failed, last value [1]',
    );
  });
});

describe('durations', () => {
  it('reads Go-style durations of hours, minutes and seconds', () => {
    assert.equal(durationSeconds('30s'), 30);
    assert.equal(durationSeconds('5m'), 300);
    assert.equal(durationSeconds('1h1m1s'), 3661);
    assert.equal(durationSeconds(''), null);
    assert.equal(durationSeconds('1.5m'), null);
    assert.equal(durationSeconds('10'), null);
  });
});
