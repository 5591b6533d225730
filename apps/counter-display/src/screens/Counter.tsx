import type { ScreenProps } from '../lib/screen.js';

/** Being built (issue 3): the Counter screen. */
export function CounterScreen({ state }: ScreenProps) {
  return <div className="connecting">{state.view.hall.name}</div>;
}
