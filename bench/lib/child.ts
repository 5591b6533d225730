/**
 * Child processes for the memory benchmark: started, waited for ("listening on URL" on stdout), measured
 * through /proc/<pid>/status, and always stopped (SIGTERM, then SIGKILL after 3 s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from './stats.js';

export interface Memory {
  /** Resident set size now, bytes (VmRSS). */
  rss: number;
  /** Peak resident set size, bytes (VmHWM). */
  hwm: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** The median VmRSS of `samples` readings over `spanMs` (RSS moves with the garbage collector), and the peak. */
export async function settledMemory(pid: number, samples = 5, spanMs = 1_000): Promise<Memory> {
  const rss: number[] = [];
  let hwm = 0;
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(spanMs / (samples - 1));
    const m = memoryOf(pid);
    rss.push(m.rss);
    hwm = Math.max(hwm, m.hwm);
  }
  rss.sort((a, b) => a - b);
  return { rss: rss[Math.floor(rss.length / 2)] as number, hwm };
}

export class Child {
  private exited = false;
  private readonly exit: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  output = '';

  private constructor(readonly proc: ChildProcess) {
    this.exit = new Promise((resolve) =>
      proc.once('exit', () => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error('child exited'));
        this.pending.clear();
        resolve();
      }),
    );
    proc.once('error', (e) => {
      this.output += `spawn failed: ${e.message}\n`;
      this.exited = true;
    });
    proc.stdout?.on('data', (d: Buffer) => {
      this.output += d.toString('utf8');
    });
    proc.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString('utf8');
    });
    proc.on('message', (m: { id?: number; ok?: boolean; value?: unknown; error?: string }) => {
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p || m.id === undefined) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error ?? 'failed'));
    });
  }

  get pid(): number {
    return this.proc.pid as number;
  }

  static spawn(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; ipc?: boolean } = {}): Child {
    const proc = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    return new Child(proc);
  }

  /** Waits for "listening on URL" on its output. */
  async listening(timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /listening on (http:\/\/\S+)/.exec(this.output);
      if (m) return m[1] as string;
      if (this.exited) throw new Error(`child exited before listening:\n${this.output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`child not listening after ${timeoutMs} ms:\n${this.output.slice(-2000)}`);
      await sleep(25);
    }
  }

  /** A request over the IPC channel (bare-io.mjs). */
  call<T>(req: { type: string; [k: string]: unknown }): Promise<T> {
    if (this.exited || !this.proc.send) return Promise.reject(new Error('no IPC channel'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send?.({ ...req, id });
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    const killed = await Promise.race([this.exit.then(() => true), sleep(3_000).then(() => false)]);
    if (!killed) {
      this.proc.kill('SIGKILL');
      await this.exit;
    }
  }
}
