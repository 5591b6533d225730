/**
 * Where a screen keeps its token: localStorage, one key per screen address, so one browser can run several
 * screens. A `?token=…` in the address is stored and dropped from the address at once (API.md, Screens).
 */
import type { ScreenRoute } from './route.js';

const keyOf = (route: ScreenRoute) => `yimen.token.${route.screen}${route.number ?? ''}`;

export function adoptTokenFromAddress(route: ScreenRoute): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  if (token !== '') localStorage.setItem(keyOf(route), token);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

export function storedToken(route: ScreenRoute): string | null {
  return localStorage.getItem(keyOf(route));
}

export function storeToken(route: ScreenRoute, token: string): void {
  localStorage.setItem(keyOf(route), token);
}

export function forgetToken(route: ScreenRoute): void {
  localStorage.removeItem(keyOf(route));
}
