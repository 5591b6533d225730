import type { ScreenProps } from '../lib/screen.js';

/** Being built (issue 3): the Pad screen. */
export function PadScreen({ state }: ScreenProps) {
  return <div className="connecting">{state.view.hall.name}</div>;
}
