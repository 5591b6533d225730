import type { ScreenProps } from '../lib/screen.js';

/** Being built (issue 3): the Clerk screen. */
export function ClerkScreen({ state }: ScreenProps) {
  return <div className="connecting">{state.view.hall.name}</div>;
}
