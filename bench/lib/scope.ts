/**
 * Cleanup in reverse order of creation, run even when a benchmark throws: servers, sockets, child
 * processes, temporary folders. A failing step is reported and the others still run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scopes not closed yet, for an interrupted run. */
const open = new Set<Scope>();

export class Scope {
  private readonly steps: { what: string; fn: () => unknown }[] = [];

  constructor() {
    open.add(this);
  }

  defer(what: string, fn: () => unknown): void {
    this.steps.push({ what, fn });
  }

  /** A fresh temporary folder on the same disk as the OS temp dir, removed on close. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `yimen-bench-${prefix}-`));
    this.defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async close(): Promise<void> {
    open.delete(this);
    while (this.steps.length > 0) {
      const step = this.steps.pop() as { what: string; fn: () => unknown };
      try {
        await step.fn();
      } catch (e) {
        process.stderr.write(`bench: cleanup "${step.what}" failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
}

/** Runs `body` with a fresh scope and always closes it. */
export async function withScope<T>(body: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope();
  try {
    return await body(scope);
  } finally {
    await scope.close();
  }
}

/** Closes every scope still open (on SIGINT). */
export async function closeOpenScopes(): Promise<void> {
  for (const s of [...open].reverse()) await s.close();
}
