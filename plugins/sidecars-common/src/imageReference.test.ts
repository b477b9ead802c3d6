import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageReference, type ImageReference } from './imageReference';
import { parseEntityRef, type EntityRefParts } from './entityRef';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('parseImageReference', () => {
  const valid: Array<[string, ImageReference]> = [
    ['envoy', { repository: 'envoy' }],
    ['istio/proxyv2:1.24.2', { repository: 'istio/proxyv2', tag: '1.24.2' }],
    [
      'docker.io/istio/proxyv2:1.24.2',
      { registry: 'docker.io', repository: 'istio/proxyv2', tag: '1.24.2' },
    ],
    [
      'localhost:5000/envoy:v1',
      { registry: 'localhost:5000', repository: 'envoy', tag: 'v1' },
    ],
    ['localhost/envoy', { registry: 'localhost', repository: 'envoy' }],
    [`envoy@${DIGEST}`, { repository: 'envoy', digest: DIGEST }],
    [
      `r.example.com:443/a/b/c:1.0-rc_1@${DIGEST}`,
      {
        registry: 'r.example.com:443',
        repository: 'a/b/c',
        tag: '1.0-rc_1',
        digest: DIGEST,
      },
    ],
    ['a__b/c--d.e:X', { repository: 'a__b/c--d.e', tag: 'X' }],
  ];
  for (const [reference, image] of valid) {
    it(`parses ${reference}`, () => {
      assert.deepEqual(parseImageReference(reference), { ok: true, image });
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ['', /empty/],
    ['envoy :1', /whitespace/],
    ['Envoy:1', /path component "Envoy"/],
    ['envoy:-1', /tag "-1"/],
    [`envoy:${'a'.repeat(129)}`, /tag/],
    ['envoy@sha256:ABC', /digest/],
    [`envoy@md5:${'a'.repeat(32)}`, /digest/],
    [`envoy@${DIGEST}@${DIGEST}`, /more than one "@"/],
    ['host:abc/envoy:1', /invalid port/],
    ['-bad.example.com/envoy:1', /not a valid host name/],
    ['a//b:1', /path component ""/],
    [':1', /no repository name/],
    [`${'a'.repeat(256)}:1`, /longer than 255/],
  ];
  for (const [reference, message] of invalid) {
    it(`rejects ${JSON.stringify(reference.slice(0, 40))}`, () => {
      const result = parseImageReference(reference);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, message);
    });
  }
});

describe('parseEntityRef', () => {
  const valid: Array<[string, EntityRefParts]> = [
    ['checkout', { name: 'checkout' }],
    ['default/checkout', { namespace: 'default', name: 'checkout' }],
    [
      'component:default/checkout',
      { kind: 'component', namespace: 'default', name: 'checkout' },
    ],
    ['Component:checkout_v2.x', { kind: 'Component', name: 'checkout_v2.x' }],
  ];
  for (const [ref, parts] of valid) {
    it(`parses ${ref}`, () => {
      assert.deepEqual(parseEntityRef(ref), { ok: true, ref: parts });
    });
  }

  for (const [ref, message] of [
    ['', /name ""/],
    ['component:', /name ""/],
    [':checkout', /kind ""/],
    ['component:Default/checkout', /namespace "Default"/],
    ['component:default/check/out', /name "check\/out"/],
    ['comp-onent:checkout', /kind "comp-onent"/],
    ['a:b:c', /name "b:c"/],
  ] as const) {
    it(`rejects ${JSON.stringify(ref)}`, () => {
      const result = parseEntityRef(ref);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, message);
    });
  }
});
