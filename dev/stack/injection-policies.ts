import type { KubernetesObject } from '@kubernetes/client-node';
import { INJECTED_FLUENT_BIT_IMAGE, ISTIO_REVISIONS } from './demo-fleet';

const API_VERSION = 'admissionregistration.k8s.io/v1beta1';

/** The injected sidecar's requests and limits, as a CEL apply configuration for `list`. */
const RESOURCES = (list: 'containers' | 'initContainers') =>
  `resources: Object.spec.${list}.resources{ requests: {"cpu": "100m", "memory": "128Mi"}, limits: {"memory": "256Mi"} }`;

export interface Injection {
  name: string;
  container: string;
  image: string;
  namespaceSelector: Record<string, string>;
  objectSelector?: Record<string, string>;
  /** Inject a native sidecar: an init container with restartPolicy Always. */
  native?: boolean;
}

/**
 * Sidecar injectors as MutatingAdmissionPolicies: pods get the sidecar at creation, so the
 * container is absent from the owning Deployment's template, exactly as with a mesh webhook.
 */
export function injectionPolicies(): KubernetesObject[] {
  const injections: Injection[] = [
    ...Object.entries(ISTIO_REVISIONS).map(([revision, image]) => ({
      name: `inject-istio-proxy-${revision}`,
      container: 'istio-proxy',
      image,
      namespaceSelector: { 'istio.io/rev': revision },
      objectSelector: { 'sidecar.istio.io/inject': 'true' },
    })),
    {
      name: 'inject-fluent-bit',
      container: 'fluent-bit',
      image: INJECTED_FLUENT_BIT_IMAGE,
      namespaceSelector: {
        'logging.example.com/fluent-bit-injection': 'enabled',
      },
    },
  ];
  return injections.flatMap(policyAndBinding);
}

export function policyAndBinding(injection: Injection): KubernetesObject[] {
  const policy = {
    apiVersion: API_VERSION,
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: injection.name },
    spec: {
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
          },
        ],
      },
      matchConditions: [
        {
          name: 'not-yet-injected',
          expression: `!object.spec.containers.exists(c, c.name == "${injection.container}") && !(has(object.spec.initContainers) && object.spec.initContainers.exists(c, c.name == "${injection.container}"))`,
        },
      ],
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: {
            expression: injection.native
              ? `Object{ spec: Object.spec{ initContainers: [ Object.spec.initContainers{ name: "${injection.container}", image: "${injection.image}", restartPolicy: "Always", ${RESOURCES('initContainers')} } ] } }`
              : `Object{ spec: Object.spec{ containers: [ Object.spec.containers{ name: "${injection.container}", image: "${injection.image}", ${RESOURCES('containers')} } ] } }`,
          },
        },
      ],
    },
  };
  const binding = {
    apiVersion: API_VERSION,
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name: injection.name },
    spec: {
      policyName: injection.name,
      matchResources: {
        namespaceSelector: { matchLabels: injection.namespaceSelector },
        ...(injection.objectSelector
          ? { objectSelector: { matchLabels: injection.objectSelector } }
          : {}),
      },
    },
  };
  return [policy, binding];
}
