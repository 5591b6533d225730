/** Polls a loader every `ms` while the screen is open; `refresh` loads at once (after an action). */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure } from '../../lib/api.js';

export interface Polled<T> {
  data: T | null;
  /** The last failure in plain words; null once a load succeeds again. */
  error: string | null;
  refresh: () => void;
}

export function usePolled<T>(load: () => Promise<T>, ms: number, onUnauthenticated: () => void): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const unauth = useRef(onUnauthenticated);
  unauth.current = onUnauthenticated;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` restarts the loop at once (refresh)
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const r = await load();
        if (stopped) return;
        setData(r);
        setError(null);
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiFailure && e.status === 401) return unauth.current();
        setError(e instanceof ApiFailure ? e.message : '读取失败，请稍后重试。');
      }
      if (!stopped) timer = setTimeout(run, ms);
    };
    void run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [load, ms, tick]);

  return { data, error, refresh };
}
