import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface MeteredProcess {
  name: string;
  pid: number;
}

/**
 * The stack's cluster processes (etcd, kube-apiserver, controllers, scheduler, KWOK): those whose
 * command line names the directory of the bench cluster's kubeconfig.
 */
export function clusterProcesses(): MeteredProcess[] {
  const stackDir = dirname(process.env.KUBECONFIG ?? '');
  return readdirSync('/proc')
    .filter(entry => /^\d+$/.test(entry))
    .flatMap(pid => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (!args.some(arg => arg.includes(stackDir))) return [];
        const name = basename(args[0]!).replace(/-v[\d.]+$/, '');
        return [{ name, pid: Number(pid) }];
      } catch {
        return []; // the process ended while the table was read
      }
    });
}

/** A file of /proc/PID, or undefined once the process has exited (a crashed worker must not end the bench). */
function procFile(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Peak resident set size of a process, from the kernel's high-water mark; NaN once it has exited. */
export function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(procFile(pid, 'status') ?? '');
  return match ? Number(match[1]) / 1024 : NaN;
}

/** User plus system CPU time a process has used so far; NaN once it has exited. */
function cpuMs(pid: number): number {
  const stat = procFile(pid, 'stat');
  if (stat === undefined) return NaN;
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Starts counting the CPU time of `processes`; `perPod` shares what they used since among `pods`. */
export function cpuMeter(processes: readonly MeteredProcess[]) {
  const start = new Map(processes.map(p => [p.pid, cpuMs(p.pid)]));
  return {
    perPod(pods: number): string {
      const shares = processes.map(p => {
        const used = cpuMs(p.pid) - start.get(p.pid)!;
        return `${p.name} ${Number.isNaN(used) ? '(exited)' : (used / pods).toFixed(1)}`;
      });
      return `CPU per pod (ms): ${shares.join(', ')}`;
    },
  };
}
