/**
 * A device screen without a token: asks the server for a pairing, shows the six-digit code large, and
 * polls until an admin or manager approves it in the manager view; then it stores its token.
 */
import type { DeviceKind, Pairing, PairingClaimResponse } from '@yimen/shared';
import { useEffect, useState } from 'react';
import { ApiFailure, api } from './api.js';

export function PairingScreen(props: {
  /** Any device kind that has a screen: the hall's screens, and the kiosk (apps/kiosk). */
  kind: Exclude<DeviceKind, 'call-keypad'>;
  counterNumber: number | null;
  onToken: (token: string) => void;
}) {
  const { kind, counterNumber, onToken } = props;
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = async () => {
      try {
        const opened = await api<{ pairing: Pairing; secret: string }>('POST', '/pairings', null, {
          kind,
          ...(counterNumber !== null ? { counterNumber } : {}),
        });
        if (stopped) return;
        setPairing(opened.pairing);
        setError(null);
        const poll = async () => {
          try {
            const r = await api<PairingClaimResponse>('POST', `/pairings/${opened.pairing.id}/claim`, null, {
              secret: opened.secret,
            });
            if (stopped) return;
            if (r.status === 'approved') return onToken(r.token);
            timer = setTimeout(poll, 1500);
          } catch (e) {
            if (stopped) return;
            // expired or rejected: ask again; a lost network: keep polling
            if (e instanceof ApiFailure && e.status === 404) timer = setTimeout(start, 1000);
            else timer = setTimeout(poll, 3000);
          }
        };
        timer = setTimeout(poll, 1000);
      } catch (e) {
        if (stopped) return;
        setError(e instanceof ApiFailure ? e.message : '无法连接服务器。');
        timer = setTimeout(start, 3000);
      }
    };
    void start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [kind, counterNumber, onToken]);

  return (
    <div className="pairing" data-testid="pairing">
      <h1>设备配对</h1>
      <p>请管理员在“大厅管理”页面输入或确认以下配对码：</p>
      <div className="pairing-code" data-testid="pairing-code">
        {pairing?.code ?? '······'}
      </div>
      {counterNumber !== null && <p>{counterNumber} 号窗口</p>}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
