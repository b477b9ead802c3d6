import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './binaries';
import {
  DEMO_SERVICES,
  deploymentObject,
  HOLD_APPLICATION_UNTIL_PROXY_STARTS,
} from './demo-fleet';

interface CatalogEntity {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { owner?: string };
}

const entities = parseAllDocuments(
  readFileSync(join(REPO_ROOT, 'catalog/demo-fleet.yaml'), 'utf8'),
).map(d => d.toJSON() as CatalogEntity);

describe('the demo fleet catalog', () => {
  it('has one component per seeded service, mapped to its pods the way the Kubernetes plugin maps them', () => {
    const components = entities.filter(e => e.kind === 'Component');
    assert.deepEqual(
      components.map(c => c.metadata.name).sort(),
      DEMO_SERVICES.map(s => s.name).sort(),
    );
    for (const service of DEMO_SERVICES) {
      const component = components.find(c => c.metadata.name === service.name)!;
      assert.equal(
        component.metadata.annotations?.['backstage.io/kubernetes-id'],
        service.name,
      );
      assert.equal(
        component.metadata.annotations?.['backstage.io/kubernetes-namespace'],
        service.namespace,
      );
      assert.equal(component.spec.owner, `group:default/${service.owner}`);
      const podLabels =
        deploymentObject(service).spec?.template.metadata?.labels ?? {};
      assert.equal(
        podLabels['backstage.io/kubernetes-id'],
        service.name,
        'pods carry the kubernetes-id label',
      );
    }
  });

  it('declares every owner as a group', () => {
    const groups = new Set(
      entities.filter(e => e.kind === 'Group').map(g => g.metadata.name),
    );
    for (const service of DEMO_SERVICES)
      assert.ok(groups.has(service.owner), `${service.owner} is a group`);
  });

  it('has, for the start-ordering report, native sidecars, legacy ones the app waits for and legacy ones nothing orders', () => {
    const templates = DEMO_SERVICES.map(service => ({
      service,
      spec: deploymentObject(service).spec!.template.spec!,
      annotations:
        deploymentObject(service).spec!.template.metadata?.annotations ?? {},
    }));
    const natives = templates.flatMap(({ spec }) =>
      (spec.initContainers ?? []).filter(c => c.restartPolicy === 'Always'),
    );
    assert.ok(natives.length > 0, 'a native sidecar');

    const hooked = templates.flatMap(({ service, spec }) => {
      const app = spec.containers.findIndex(c => c.name === service.name);
      return spec.containers
        .filter((c, i) => c.lifecycle?.postStart && i < app)
        .map(c => `${service.name}/${c.name}`);
    });
    assert.deepEqual(hooked, ['cart/cloud-sql-proxy']);

    const holding = templates.filter(
      ({ annotations }) =>
        annotations['proxy.istio.io/config'] ===
        HOLD_APPLICATION_UNTIL_PROXY_STARTS['proxy.istio.io/config'],
    );
    assert.deepEqual(
      holding.map(t => [t.service.name, t.service.injectIstio]),
      [['checkout-web', true]],
      'an injected istio-proxy held by holdApplicationUntilProxyStarts',
    );

    const unordered = templates.flatMap(({ service, spec }) => {
      const app = spec.containers.findIndex(c => c.name === service.name);
      return spec.containers
        .filter((c, i) => i > app && !c.lifecycle?.postStart)
        .map(c => `${service.name}/${c.name}`);
    });
    assert.ok(
      unordered.includes('inventory-sync/otel-collector'),
      `a declared sidecar nothing orders (${unordered.join(', ')})`,
    );
  });
});
