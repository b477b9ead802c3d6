import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import { testCluster } from '../support/cluster';
import { apiFaults } from '../chaos/scenarios/api-faults';
import { chaosTable } from '../chaos/table';

describe('the chaos suite, small', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'chaos-smoke-'));
  after(() => rmSync(workDir, { recursive: true, force: true }));

  it('completes a 60-pod campaign through 3 worker SIGKILLs and 10% failed API requests with no safety violation', async () => {
    const ctx = { cluster: testCluster(), temporal: temporalFromEnvironment(), env: {}, workDir, log: (line: string) => console.log(line) };
    const result = await apiFaults(ctx, 'chaos-smoke', { pods: 60, maxUnavailable: 6, faultRate: 0.1, kills: 3 });
    console.log(chaosTable([result]));
    assert.deepEqual(result.report?.violations, []);
    assert.equal(result.phase, 'Completed', result.notes.join('\n'));
    assert.equal(result.report?.targets, 60);
    assert.equal(result.report?.patches.upgrade, 60, 'every pod patched toward the target exactly once');
    assert.match(result.faults, /^3 worker SIGKILLs; [1-9]\d* of \d+ API requests failed/);
  });
});
