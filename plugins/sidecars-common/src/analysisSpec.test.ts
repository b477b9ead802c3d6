import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCampaignSpec } from './spec';

const base = {
  container: 'istio-proxy',
  targetImage: 'docker.io/istio/proxyv2:1.24.2',
  selector: { namespaces: ['payments'] },
};

const metric = {
  name: 'success-rate',
  query: 'sum(rate(ok[1m])) / sum(rate(all[1m]))',
  successCondition: 'result[0] >= 0.95',
};

const withMetric = (extra: Record<string, unknown>) => ({
  ...base,
  analysis: { metrics: [{ ...metric, ...extra }] },
});

function rejected(input: unknown, field: string, fix: RegExp): void {
  const result = parseCampaignSpec(input);
  assert.equal(result.ok, false, 'the spec is rejected');
  if (result.ok) return;
  const error = result.errors.find(e => e.field === field);
  assert.ok(error, `an error names ${field}: ${JSON.stringify(result.errors)}`);
  assert.match(error.message, fix);
}

describe('a campaign spec with analysis', () => {
  it('applies the Argo Rollouts defaults: one measurement, 30 s apart, no failures or inconclusive ones allowed', () => {
    const result = parseCampaignSpec(withMetric({}));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(result.spec.analysis, {
      metrics: [
        {
          ...metric,
          interval: '30s',
          count: 1,
          failureLimit: 0,
          inconclusiveLimit: 0,
        },
      ],
    });
  });

  it('keeps a full metric as written', () => {
    const full = {
      ...metric,
      interval: '1m30s',
      count: 5,
      failureCondition: 'result[0] < 0.5',
      failureLimit: 1,
      inconclusiveLimit: 2,
    };
    const result = parseCampaignSpec({
      ...base,
      analysis: { metrics: [full] },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.spec.analysis?.metrics[0], full);
  });

  it('is a campaign without gates when analysis is omitted', () => {
    const result = parseCampaignSpec(base);
    assert.ok(result.ok);
    assert.equal(result.spec.analysis, undefined);
  });
});

describe('analysis is rejected, naming the field and the fix, when', () => {
  it('a condition does not parse', () => {
    rejected(
      withMetric({ successCondition: 'result[0] >=' }),
      'analysis.metrics.0.successCondition',
      /not a valid expression.*write e\.g\. "result\[0\] >= 0\.95"/,
    );
  });

  it('a condition calls an unknown function', () => {
    rejected(
      withMetric({ failureCondition: 'exec(result)' }),
      'analysis.metrics.0.failureCondition',
      /calls something unknown.*use the functions len, min, max/,
    );
  });

  it('a condition never reads result', () => {
    rejected(
      withMetric({ successCondition: '1 > 0' }),
      'analysis.metrics.0.successCondition',
      /never looks at result/,
    );
  });

  it('a metric has no condition', () => {
    rejected(
      withMetric({ successCondition: undefined }),
      'analysis.metrics.0.successCondition',
      /has no condition.*set successCondition/,
    );
  });

  it('the interval is not a duration or out of range', () => {
    rejected(
      withMetric({ interval: '10 minutes' }),
      'analysis.metrics.0.interval',
      /not a duration: write e\.g\. "30s"/,
    );
    rejected(
      withMetric({ interval: '2h' }),
      'analysis.metrics.0.interval',
      /from "1s" to "1h"/,
    );
  });

  it('count or a limit is not a whole number in range', () => {
    rejected(
      withMetric({ count: 0 }),
      'analysis.metrics.0.count',
      /at least 1/,
    );
    rejected(
      withMetric({ count: 1000 }),
      'analysis.metrics.0.count',
      /at most 100/,
    );
    rejected(
      withMetric({ failureLimit: -1 }),
      'analysis.metrics.0.failureLimit',
      /at least 0/,
    );
  });

  it('the query is missing or empty', () => {
    rejected(
      withMetric({ query: undefined }),
      'analysis.metrics.0.query',
      /needs a query/,
    );
    rejected(
      withMetric({ query: '  ' }),
      'analysis.metrics.0.query',
      /query is empty/,
    );
  });

  it('two metrics share a name, or there are none', () => {
    rejected(
      { ...base, analysis: { metrics: [metric, metric] } },
      'analysis.metrics.1.name',
      /used twice/,
    );
    rejected(
      { ...base, analysis: { metrics: [] } },
      'analysis.metrics',
      /1 to 10 metrics/,
    );
  });

  it('a field is misspelt', () => {
    rejected(
      withMetric({ sucessCondition: 'result[0] > 1' }),
      'analysis.metrics.0.sucessCondition',
      /did you mean "successCondition"/,
    );
  });
});
