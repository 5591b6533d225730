import type { ScreenProps } from '../lib/screen.js';

/** Being built (issue 3): the Manager screen. */
export function ManagerScreen({ state }: ScreenProps) {
  return <div className="connecting">{state.view.hall.name}</div>;
}
