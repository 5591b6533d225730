/**
 * A pair of connected pseudo-terminals from socat: a real serial line for tests of serial devices (one end
 * for the device's simulator, the other for the driver). Needs Debian's `socat`.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and returns its two /dev/pts paths. */
export function startSocat(): Promise<{ proc: ChildProcess; a: string; b: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const paths: string[] = [];
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`socat did not report two ptys: ${err}`));
    }, 5000);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (d: string) => {
      err += d;
      for (const m of d.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) paths.push(m[1] as string);
      if (paths.length === 2 && /starting data transfer loop/.test(err)) {
        clearTimeout(timer);
        resolve({ proc, a: paths[0] as string, b: paths[1] as string });
      }
    });
  });
}
