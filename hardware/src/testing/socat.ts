/**
 * A pair of connected pseudo-terminals from socat: a real serial line for tests of serial devices (one end
 * for the device's simulator, the other for the driver). Needs Debian's `socat`.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and returns its two /dev/pts paths. With `links`, socat
 * also makes symlinks at those two paths (answered as `a` and `b`): they stay the same when the pair is
 * stopped and started again, like a serial adapter unplugged and plugged back.
 */
export function startSocat(links?: [string, string]): Promise<{ proc: ChildProcess; a: string; b: string }> {
  return new Promise((resolve, reject) => {
    const end = (link?: string) => (link ? `pty,raw,echo=0,link=${link}` : 'pty,raw,echo=0');
    const proc = spawn('socat', ['-d', '-d', end(links?.[0]), end(links?.[1])], { stdio: ['ignore', 'ignore', 'pipe'] });
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
        resolve({ proc, a: links?.[0] ?? (paths[0] as string), b: links?.[1] ?? (paths[1] as string) });
      }
    });
  });
}
