import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { binaryPath } from './binaries';
import { renderStages, type StageTimings } from './kwok-stages';
import { assertPortFree, freePort } from './ports';
import type { ProcessGroup } from './processes';
import { waitFor } from './wait';

export interface ControlPlaneOptions {
  /** Holds etcd's data, certificates, the kubeconfig and logs. */
  dir: string;
  apiServerPort: number;
  timings: StageTimings;
}

export interface RunningControlPlane {
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
 * A real Kubernetes control plane: etcd, kube-apiserver (token auth, RBAC), controller-manager,
 * scheduler, and KWOK playing the kubelet of every node.
 */
export async function startControlPlane(
  group: ProcessGroup,
  options: ControlPlaneOptions,
): Promise<RunningControlPlane> {
  const { dir } = options;
  for (const sub of ['etcd', 'certs', 'logs'])
    mkdirSync(join(dir, sub), { recursive: true });
  await assertPortFree(options.apiServerPort, 'kube-apiserver');
  const log = (name: string) => join(dir, 'logs', `${name}.log`);

  const etcdPort = await freePort();
  const etcdPeerPort = await freePort();
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const etcd = group.start(
    'etcd',
    binaryPath('etcd'),
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
      '--name=default',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    log('etcd'),
  );
  await group.untilReady(
    etcd,
    waitFor(async () => (await fetch(`${etcdUrl}/health`)).ok, {
      what: 'etcd /health',
      timeoutMs: STARTUP_TIMEOUT_MS,
    }),
  );

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
    'kube-apiserver',
    binaryPath('kube-apiserver'),
    [
      `--etcd-servers=${etcdUrl}`,
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
      what: 'kube-apiserver /readyz',
      timeoutMs: STARTUP_TIMEOUT_MS,
    }),
  );

  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig(server, token));

  const controllerManagerPort = await freePort();
  const controllerManager = group.start(
    'kube-controller-manager',
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
    'kube-scheduler',
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
  writeFileSync(stagesFile, renderStages(options.timings));
  const kwok = group.start(
    'kwok',
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
          what: `${what} /healthz`,
          timeoutMs: STARTUP_TIMEOUT_MS,
        }),
      ),
    ),
  );
  await group.untilReady(kwok, Promise.resolve());
  return { server, kubeconfigPath, token };
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

function kubeconfig(server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'local', cluster: { server, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'admin' } }],
    'current-context': 'local',
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
