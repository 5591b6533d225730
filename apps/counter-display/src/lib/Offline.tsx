import type { ConnectionStatus } from './connection.js';

/** The discreet notice of a lost connection: shown while cut off, never hiding the screen. */
export function ConnectionNotice({ status }: { status: ConnectionStatus }) {
  if (status !== 'offline') return null;
  return (
    <div className="connection-notice" data-testid="connection-lost" role="status">
      连接中断，正在重新连接…
    </div>
  );
}
