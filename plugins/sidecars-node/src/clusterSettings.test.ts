import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  clusterNamesDisagreement,
  kubeConfigFor,
  parseClusterSettings,
  readClustersFile,
} from './clusterSettings';

describe('cluster settings', () => {
  it("reads the same format from app-config and from the worker's clusters file", () => {
    const file = join(
      mkdtempSync(join(tmpdir(), 'clusters-')),
      'clusters.yaml',
    );
    writeFileSync(
      file,
      'clusters:\n  - name: prod-eu\n    authProvider: serviceAccount\n    url: https://eu.example.com\n    serviceAccountToken: t\n  - name: home\n    authProvider: inCluster\n',
    );
    const fromFile = readClustersFile(file);
    assert.deepEqual(
      fromFile,
      parseClusterSettings(fromFile, 'sidecars.clusters'),
    );
    assert.deepEqual(
      fromFile.map(c => c.name),
      ['prod-eu', 'home'],
    );
    assert.equal(
      kubeConfigFor(fromFile[0]!).getCurrentCluster()?.server,
      'https://eu.example.com',
    );
  });

  it('names the field and the fix for a bad entry, and refuses duplicate names', () => {
    assert.throws(
      () =>
        parseClusterSettings(
          [{ name: 'eu', authProvider: 'serviceAccount' }],
          'sidecars.clusters',
        ),
      /sidecars\.clusters\.0\.url: authProvider serviceAccount needs url/,
    );
    assert.throws(
      () =>
        parseClusterSettings(
          [{ name: 'eu', authProvider: 'token' }],
          'sidecars.clusters',
        ),
      /sidecars\.clusters\.0\.authProvider/,
    );
    assert.throws(
      () =>
        parseClusterSettings(
          [{ name: 'eu', authProvider: 'inCluster', kubeconfig: '/x' }],
          'sidecars.clusters',
        ),
      /sidecars\.clusters\.0: .*kubeconfig/,
    );
    assert.throws(
      () =>
        parseClusterSettings(
          [
            { name: 'eu', authProvider: 'inCluster' },
            { name: 'eu', authProvider: 'inCluster' },
          ],
          'sidecars.clusters',
        ),
      /sidecars\.clusters\.1\.name: the cluster name "eu" appears twice/,
    );
  });

  it('says which names only one side knows', () => {
    assert.equal(
      clusterNamesDisagreement(
        { source: 'the backend', names: ['eu', 'us'] },
        { source: 'the worker', names: ['us', 'eu'] },
      ),
      undefined,
    );
    assert.equal(
      clusterNamesDisagreement(
        { source: 'the backend', names: ['eu', 'us'] },
        { source: 'the worker', names: ['eu', 'ap'] },
      ),
      'cluster names disagree: "us" only in the backend, not in the worker; "ap" only in the worker, not in the backend: give each cluster the same name on both sides',
    );
  });
});
