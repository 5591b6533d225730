/**
 * The kiosk renderer (取号机 / 自助一体机), served by the queue server at /kiosk. A paired device of kind
 * `kiosk`: `?token=` is stored and dropped from the address; without a token it shows the pairing code.
 */
import { useConnection } from '@yimen/counter-display/lib/hooks.js';
import { PairingScreen } from '@yimen/counter-display/lib/Pairing.js';
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { KioskApi } from '../contract.js';
import { adoptFromAddress, store, stored } from './address.js';
import { pickAgent } from './agent.js';
import { idleSecondsFrom } from './idle.js';
import { Kiosk } from './Kiosk.js';
import './styles.css';

function App({ idleSeconds }: { idleSeconds: number }) {
  const [token, setToken] = useState<string | null>(() => stored(localStorage, 'token'));
  const { connection, state } = useConnection(token);
  const [agent, setAgent] = useState<KioskApi | null>(null);

  const accept = useCallback((t: string) => {
    store(localStorage, 'token', t);
    setToken(t);
  }, []);

  useEffect(() => {
    if (state.status === 'revoked' && token) {
      store(localStorage, 'token', null);
      setToken(null);
    }
  }, [state.status, token]);

  useEffect(() => {
    if (!token || !connection) return;
    const picked = pickAgent({
      token,
      agentUrl: stored(localStorage, 'agent'),
      agentKey: stored(localStorage, 'agentKey'),
      serverReachable: () => connection.getState().status === 'live',
    });
    document.documentElement.dataset.agent = picked.mode;
    setAgent(picked.agent);
    return () => {
      picked.close();
      setAgent(null);
    };
  }, [token, connection]);

  if (!token) return <PairingScreen kind="kiosk" counterNumber={null} onToken={accept} />;
  if (!state.view || !agent)
    return (
      <div className="connecting" data-testid="connecting">
        <div className="spinner" aria-hidden="true" />
        正在连接排队系统…
      </div>
    );
  return <Kiosk token={token} state={{ ...state, view: state.view }} agent={agent} idleSeconds={idleSeconds} />;
}

const rewritten = adoptFromAddress(window.location.href, localStorage);
if (rewritten !== null) window.history.replaceState(null, '', rewritten);
document.documentElement.lang = 'zh-CN';
const idleSeconds = idleSecondsFrom(window.location.search);
// No context menu, no pinch or double-tap zoom: a public touch screen.
window.addEventListener('contextmenu', (e) => e.preventDefault());

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App idleSeconds={idleSeconds} />
  </StrictMode>,
);
