import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectionState, HallConnection } from './connection.js';

/** One live connection for a token, closed when the token changes or the screen goes. */
export function useConnection(token: string | null): { connection: HallConnection | null; state: ConnectionState } {
  const [connection, setConnection] = useState<HallConnection | null>(null);
  useEffect(() => {
    if (!token) return;
    const c = new HallConnection(token);
    setConnection(c);
    return () => {
      c.close();
      setConnection(null);
    };
  }, [token]);
  const state = useSyncExternalStore(connection?.subscribe ?? noSubscribe, connection?.getState ?? idle);
  return { connection, state };
}

const IDLE: ConnectionState = { status: 'connecting', view: null, audience: null };
const idle = () => IDLE;
const noSubscribe = () => () => {};

/** The time now, updated every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
