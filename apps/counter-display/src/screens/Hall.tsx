import type { ScreenProps } from '../lib/screen.js';

/** Being built (issue 3): the Hall screen. */
export function HallScreen({ state }: ScreenProps) {
  return <div className="connecting">{state.view.hall.name}</div>;
}
