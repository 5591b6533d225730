/** Which screen this page is, from its address: /hall, /counter/{n}, /clerk, /pad/{n}, /manager. */
export type ScreenName = 'hall' | 'counter' | 'clerk' | 'pad' | 'manager';

export interface ScreenRoute {
  screen: ScreenName;
  /** The counter's number for /counter/{n} and /pad/{n}. */
  number: number | null;
}

export function parseRoute(pathname: string): ScreenRoute | null {
  const m = /^\/(hall|counter|clerk|pad|manager)(?:\/(\d{1,4}))?\/?$/.exec(pathname);
  if (!m) return null;
  const screen = m[1] as ScreenName;
  const number = m[2] === undefined ? null : Number(m[2]);
  const needsNumber = screen === 'counter' || screen === 'pad';
  if (needsNumber !== (number !== null)) return null;
  return { screen, number };
}

/** The device kind that pairs for a screen; people's screens (clerk, manager) log in instead. */
export function deviceKindOf(route: ScreenRoute): 'hall-display' | 'counter-display' | 'evaluation-pad' | null {
  switch (route.screen) {
    case 'hall':
      return 'hall-display';
    case 'counter':
      return 'counter-display';
    case 'pad':
      return 'evaluation-pad';
    default:
      return null;
  }
}
