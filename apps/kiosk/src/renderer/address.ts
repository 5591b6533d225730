/**
 * What the kiosk takes from its address on load: `?token=` (its device token), `?agent=` and `?agentKey=`
 * (the local agent's socket address and key). All three are stored in localStorage and dropped from the
 * address at once, so they never sit in the history or on screen. `?idleSeconds=` is read, not stored.
 */
const KEYS = { token: 'yimen.token.kiosk', agent: 'yimen.kiosk.agent', agentKey: 'yimen.kiosk.agentKey' } as const;
type Stored = keyof typeof KEYS;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Moves the stored parameters of `href` into `storage`; returns the address without them (null: unchanged). */
export function adoptFromAddress(href: string, storage: StorageLike): string | null {
  const url = new URL(href);
  let changed = false;
  for (const name of Object.keys(KEYS) as Stored[]) {
    const value = url.searchParams.get(name);
    if (value === null) continue;
    changed = true;
    if (value === '') storage.removeItem(KEYS[name]);
    else storage.setItem(KEYS[name], value);
    url.searchParams.delete(name);
  }
  return changed ? `${url.pathname}${url.search}${url.hash}` : null;
}

export function stored(storage: StorageLike, name: Stored): string | null {
  return storage.getItem(KEYS[name]);
}

export function store(storage: StorageLike, name: Stored, value: string | null): void {
  if (value === null) storage.removeItem(KEYS[name]);
  else storage.setItem(KEYS[name], value);
}
