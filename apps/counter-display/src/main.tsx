/**
 * The hall's screens, one React app served at /hall, /counter/{n}, /clerk, /pad/{n} and /manager. The
 * address picks the screen; device screens pair (or take ?token=), people's screens log in.
 */
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useConnection } from './lib/hooks.js';
import { LoginScreen } from './lib/Login.js';
import { ConnectionNotice } from './lib/Offline.js';
import { PairingScreen } from './lib/Pairing.js';
import { deviceKindOf, parseRoute, type ScreenRoute } from './lib/route.js';
import type { ScreenProps } from './lib/screen.js';
import { adoptTokenFromAddress, forgetToken, storedToken, storeToken } from './lib/token.js';
import { ClerkScreen } from './screens/Clerk.js';
import { CounterScreen } from './screens/Counter.js';
import { HallScreen } from './screens/Hall.js';
import { ManagerScreen } from './screens/Manager.js';
import { PadScreen } from './screens/Pad.js';
import './styles.css';

const SCREENS: Record<ScreenRoute['screen'], (p: ScreenProps) => React.ReactNode> = {
  hall: HallScreen,
  counter: CounterScreen,
  clerk: ClerkScreen,
  pad: PadScreen,
  manager: ManagerScreen,
};

/** Screens that announce a lost connection themselves (the manager's banner and pill): no second notice. */
const OWN_NOTICE: ReadonlySet<ScreenRoute['screen']> = new Set(['manager']);

function App({ route }: { route: ScreenRoute }) {
  const [token, setToken] = useState<string | null>(() => storedToken(route));
  const { connection, state } = useConnection(token);
  const kind = deviceKindOf(route);

  const accept = useCallback(
    (t: string) => {
      storeToken(route, t);
      setToken(t);
    },
    [route],
  );
  const signOut = useCallback(() => {
    forgetToken(route);
    setToken(null);
  }, [route]);

  // A revoked or unknown token: forget it; the screen goes blank and pairs (or logs in) again.
  useEffect(() => {
    if (state.status === 'revoked' && token) signOut();
  }, [state.status, token, signOut]);

  if (!token) {
    return kind ? (
      <PairingScreen kind={kind} counterNumber={route.number} onToken={accept} />
    ) : (
      <LoginScreen title={route.screen === 'manager' ? '大厅管理' : '窗口工作台'} onToken={accept} />
    );
  }
  const Screen = SCREENS[route.screen];
  return (
    <>
      {!OWN_NOTICE.has(route.screen) && <ConnectionNotice status={state.status} />}
      {connection && state.view ? (
        <Screen route={route} token={token} connection={connection} state={{ ...state, view: state.view }} signOut={signOut} />
      ) : (
        <div className="connecting" data-testid="connecting">
          正在连接服务器…
        </div>
      )}
    </>
  );
}

const route = parseRoute(window.location.pathname);
const root = createRoot(document.getElementById('root') as HTMLElement);
if (!route) {
  root.render(<div className="connecting">没有这个屏幕：{window.location.pathname}</div>);
} else {
  adoptTokenFromAddress(route);
  document.body.dataset.screen = route.screen;
  root.render(
    <StrictMode>
      <App route={route} />
    </StrictMode>,
  );
}
