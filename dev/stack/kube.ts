import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { binaryPath } from './binaries';
import { renderStages, type StageTimings } from './kwok-stages';
import type { RunningEtcd } from './etcd';
import { assertPortFree, freePort } from './ports';
import type { ProcessGroup } from './processes';
import { waitFor } from './wait';

export interface ControlPlaneOptions {
  /** The cluster's name in its kubeconfig (cluster and context), as campaigns name it. */
  name: string;
  /** Holds certificates, the kubeconfig and logs. */
  dir: string;
  apiServerPort: number;
  timings: StageTimings;
  /** Pod stages KWOK plays at a time; omitted means its default (4). */
  kwokPodStageParallelism?: number;
  etcd: RunningEtcd;
  /** Where in etcd this cluster's objects live; omitted means kube-apiserver's default, /registry. */
  etcdPrefix?: string;
}

export interface RunningControlPlane {
  name: string;
  server: string;
  kubeconfigPath: string;
  token: string;
}

const STARTUP_TIMEOUT_MS = 90_000;

/**
 * The controllers' and scheduler's client rate limits. Their defaults (20 and 50 requests per
 * second) made creating a 10,000-pod fleet take ten minutes; one local API server takes far more.
 */
const CLIENT_RATE = ['--kube-api-qps=1000', '--kube-api-burst=2000'];

/**
 * A real Kubernetes control plane on `etcd`: kube-apiserver (token auth, RBAC), controller-manager,
 * scheduler, and KWOK playing the kubelet of every node.
 */
export async function startControlPlane(
  group: ProcessGroup,
  options: ControlPlaneOptions,
): Promise<RunningControlPlane> {
  const { dir, name } = options;
  for (const sub of ['certs', 'logs'])
    mkdirSync(join(dir, sub), { recursive: true });
  await assertPortFree(options.apiServerPort, `${name} kube-apiserver`);
  const log = (component: string) => join(dir, 'logs', `${component}.log`);
  // The first cluster's processes keep their plain names, as its logs and errors always named them.
  const processName = (component: string) =>
    name === 'local' ? component : `${component} (${name})`;

  const token = readOrCreate(join(dir, 'certs', 'admin.token'), () =>
    randomBytes(24).toString('hex'),
  );
  const tokensFile = join(dir, 'certs', 'tokens.csv');
  writeFileSync(tokensFile, `${token},admin,admin,system:masters\n`);
  const saKey = join(dir, 'certs', 'service-account.key');
  readOrCreate(saKey, () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString(),
  );

  const server = `https://127.0.0.1:${options.apiServerPort}`;
  const apiServer = group.start(
    processName('kube-apiserver'),
    binaryPath('kube-apiserver'),
    [
      `--etcd-servers=${options.etcd.url}`,
      ...(options.etcdPrefix ? [`--etcd-prefix=${options.etcdPrefix}`] : []),
      '--bind-address=127.0.0.1',
      `--secure-port=${options.apiServerPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--authorization-mode=RBAC',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      `--token-auth-file=${tokensFile}`,
      '--enable-priority-and-fairness=false',
      // Sidecar injectors of the demo fleet are MutatingAdmissionPolicies (beta in 1.34, off by default).
      '--feature-gates=MutatingAdmissionPolicy=true',
      '--runtime-config=admissionregistration.k8s.io/v1beta1=true',
      '--v=0',
    ],
    log('kube-apiserver'),
  );
  await group.untilReady(
    apiServer,
    waitFor(() => apiGet(server, token, '/readyz'), {
      what: `${name} kube-apiserver /readyz`,
      timeoutMs: STARTUP_TIMEOUT_MS,
    }),
  );

  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig(name, server, token));

  const controllerManagerPort = await freePort();
  const controllerManager = group.start(
    processName('kube-controller-manager'),
    binaryPath('kube-controller-manager'),
    [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      `--service-account-private-key-file=${saKey}`,
      '--use-service-account-credentials=false',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${controllerManagerPort}`,
      '--controllers=*,-nodeipam,-service-lb-controller,-route,-cloud-node-lifecycle',
      ...CLIENT_RATE,
    ],
    log('kube-controller-manager'),
  );
  const schedulerPort = await freePort();
  const scheduler = group.start(
    processName('kube-scheduler'),
    binaryPath('kube-scheduler'),
    [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      ...CLIENT_RATE,
    ],
    log('kube-scheduler'),
  );

  const stagesFile = join(dir, 'kwok-stages.yaml');
  writeFileSync(
    stagesFile,
    renderStages(options.timings, options.kwokPodStageParallelism),
  );
  const kwok = group.start(
    processName('kwok'),
    binaryPath('kwok'),
    [
      `--kubeconfig=${kubeconfigPath}`,
      '--manage-all-nodes=true',
      `--config=${stagesFile}`,
    ],
    log('kwok'),
  );

  const probes = [
    [controllerManager, controllerManagerPort, 'kube-controller-manager'],
    [scheduler, schedulerPort, 'kube-scheduler'],
  ] as const;
  await Promise.all(
    probes.map(([managed, port, what]) =>
      group.untilReady(
        managed,
        waitFor(() => apiGet(`https://127.0.0.1:${port}`, token, '/healthz'), {
          what: `${name} ${what} /healthz`,
          timeoutMs: STARTUP_TIMEOUT_MS,
        }),
      ),
    ),
  );
  await group.untilReady(kwok, Promise.resolve());
  return { name, server, kubeconfigPath, token };
}

function readOrCreate(path: string, create: () => string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    const value = create();
    writeFileSync(path, value, { mode: 0o600 });
    return value;
  }
}

function kubeconfig(name: string, server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name, context: { cluster: name, user: 'admin' } }],
    'current-context': name,
  });
}

/** True when GET answers 200; the local control plane's certificates are self-signed. */
function apiGet(base: string, token: string, path: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = request(
      `${base}${path}`,
      {
        rejectUnauthorized: false,
        headers: { authorization: `Bearer ${token}` },
        timeout: 2_000,
      },
      res => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
