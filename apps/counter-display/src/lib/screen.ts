import type { HallView } from '@yimen/shared';
import type { ConnectionState, HallConnection } from './connection.js';
import type { ScreenRoute } from './route.js';

/** What every screen gets: its address, its token, the live connection and its state (view not null). */
export interface ScreenProps {
  route: ScreenRoute;
  token: string;
  connection: HallConnection;
  state: ConnectionState & { view: HallView };
  /** Forget the token (log out; a device pairs again). */
  signOut: () => void;
}
