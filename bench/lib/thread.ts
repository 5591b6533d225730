/**
 * A server under test in a worker thread: its own event loop (and core), as in the hall where the clients
 * are other machines, while the benchmark's clients run on the main thread. Messages: the worker posts
 * {type: 'ready', url} once listening, then answers {id, type, …} requests with {id, ok, value | error}.
 * TypeScript workers are loaded through tsx (a worker does not inherit the parent's --import hooks).
 */
import { Worker } from 'node:worker_threads';

export interface Request {
  type: string;
  [key: string]: unknown;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class ThreadServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {
    worker.on('message', (m: Reply | { type: string }) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    const failAll = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      this.exited = true;
      failAll(new Error(`server thread exited (${code})`));
    });
  }

  static start(module: URL, data: unknown): Promise<ThreadServer> {
    const worker = module.pathname.endsWith('.ts')
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
             .then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`,
          { eval: true, workerData: data },
        )
      : new Worker(module, { workerData: data });
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        void worker.terminate();
        reject(e);
      };
      const onExit = (code: number) => reject(new Error(`server thread exited (${code}) before listening`));
      const onMessage = (m: { type?: string; url?: string }) => {
        if (m.type !== 'ready' || typeof m.url !== 'string') return;
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onMessage);
        resolve(new ThreadServer(worker, m.url));
      };
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', onMessage);
    });
  }

  call<T>(req: Request): Promise<T> {
    if (this.exited) return Promise.reject(new Error('server thread has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Asks the server to close (2 s at most), then ends the thread. */
  async stop(): Promise<void> {
    if (this.exited) return;
    await Promise.race([this.call({ type: 'close' }).catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
    await this.worker.terminate();
  }
}

/** The worker side: posts 'ready' and answers requests with `handle`. */
export function serveRequests(
  port: { postMessage(m: unknown): void; on(e: 'message', f: (m: Request & { id: number }) => void): unknown },
  handle: (req: Request) => unknown,
): void {
  port.on('message', async (req) => {
    try {
      port.postMessage({ id: req.id, ok: true, value: await handle(req) });
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
