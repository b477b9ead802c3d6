import { join } from 'node:path';
import type { ScenarioResult } from '../campaign-run';
import type { ChaosContext } from '../context';
import { startFaultProxy, type FaultProxy } from '../fault-proxy';
import { killWorkerPerBatch } from './worker-kills';

export function describeProxyFaults(proxy: FaultProxy): string {
  const kinds = [...proxy.injected]
    .map(([fault, count]) => `${fault}×${count}`)
    .join(' ');
  const total = [...proxy.injected.values()].reduce((sum, n) => sum + n, 0);
  return `${total} of ${proxy.requests} API requests failed (${kinds})`;
}

export interface ApiFaultsOptions {
  pods: number;
  maxUnavailable: number;
  faultRate: number;
  kills: number;
}

/** The worker reaches the kube-apiserver only through a proxy that fails `faultRate` of its requests; optionally it is also killed. */
export async function apiFaults(
  ctx: ChaosContext,
  name: string,
  options: ApiFaultsOptions,
): Promise<ScenarioResult> {
  const user = ctx.cluster.kc.getCurrentUser();
  const proxy = await startFaultProxy({
    upstream: ctx.cluster.kc.getCurrentCluster()!.server,
    faultRate: options.faultRate,
  });
  try {
    const kubeconfig = proxy.writeKubeconfig(
      join(ctx.workDir, `${name}-proxy.kubeconfig`),
      user?.token ?? '',
    );
    return await killWorkerPerBatch(ctx, name, {
      ...options,
      workerEnv: { KUBECONFIG: kubeconfig },
      otherFaults: () => describeProxyFaults(proxy),
    });
  } finally {
    await proxy.close();
  }
}
