/**
 * Devices: the pending pairings (a screen without a token shows a six-digit code; the manager approves it
 * here, optionally naming it, or rejects it) and the paired devices with their components' faults, which an
 * admin may revoke at once.
 */
import type { Counter, Device, DevicePresence, Pairing } from '@yimen/shared';
import { useState } from 'react';
import { ApiFailure, api } from '../../lib/api.js';
import {
  counterLabel,
  DEVICE_KIND_LABELS,
  faultLabel,
  faultSeverity,
  formatWait,
  type OfflineDevice,
  sortFaults,
  timeOfDay,
} from './model.js';

/** A big hall has dozens of devices: the first rows (troubled ones first) unless all are asked for. */
const DEVICE_ROWS_SHOWN = 12;

const failureText = (e: unknown, fallback: string) => (e instanceof ApiFailure ? e.message : fallback);

/** The name a device gets unless the manager types one: the screen's own, or its kind and counter in Chinese. */
function suggestedName(p: Pairing, counters: Counter[]): string {
  const serverDefault = p.name === p.kind || p.name.startsWith(`${p.kind} `);
  if (!serverDefault) return p.name;
  return p.counterId ? `${DEVICE_KIND_LABELS[p.kind]}（${counterLabel(counters, p.counterId)}）` : DEVICE_KIND_LABELS[p.kind];
}

export function PairingRequests(props: {
  token: string;
  pairings: Pairing[] | null;
  error: string | null;
  counters: Counter[];
  now: number;
  onChanged: () => void;
}) {
  const { token, pairings, error, counters, now, onChanged } = props;
  const [filter, setFilter] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (p: Pairing, approve: boolean) => {
    setBusy(p.id);
    setMessage(null);
    try {
      if (approve) {
        const name = (names[p.id] ?? '').trim() || suggestedName(p, counters);
        const r = await api<{ device: Device }>('POST', `/pairings/${p.id}/approve`, token, { name });
        setMessage({ ok: true, text: `已批准“${r.device.name}”（配对码 ${p.code}），该屏幕将自动连接。` });
      } else {
        await api('DELETE', `/pairings/${p.id}`, token);
        setMessage({ ok: true, text: `已拒绝配对码 ${p.code}。` });
      }
    } catch (e) {
      setMessage({
        ok: false,
        text:
          e instanceof ApiFailure && e.status === 404
            ? `配对码 ${p.code} 已过期或已处理，请让该屏幕重新显示配对码。`
            : failureText(e, '操作失败，请重试。'),
      });
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const wanted = filter.replace(/\D/g, '');
  const shown = (pairings ?? []).filter((p) => !wanted || p.code.includes(wanted));
  return (
    <section className={`mgr-panel${pairings?.length ? ' mgr-panel-attention' : ''}`} data-testid="pairings">
      <header className="mgr-panel-head">
        <h2>待配对设备{pairings?.length ? <span className="mgr-badge">{pairings.length}</span> : null}</h2>
        <input
          className="mgr-code-filter"
          inputMode="numeric"
          maxLength={6}
          placeholder="输入屏幕上的配对码"
          aria-label="按配对码查找"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </header>
      {error && <p className="mgr-error">{error}</p>}
      {message && (
        <p className={message.ok ? 'mgr-ok' : 'mgr-error'} role="status" data-testid="pairing-message">
          {message.text}
        </p>
      )}
      {pairings === null ? (
        <p className="mgr-muted">正在读取…</p>
      ) : shown.length === 0 ? (
        <p className="mgr-muted">{pairings.length === 0 ? '没有等待配对的屏幕。' : '没有与该配对码相符的请求。'}</p>
      ) : (
        <ul className="mgr-pairings">
          {shown.map((p) => {
            const left = Math.max(0, Math.round((Date.parse(p.expiresAt) - now) / 60000));
            return (
              <li key={p.id} className="mgr-pairing" data-testid="pairing-request" data-code={p.code}>
                <div className="mgr-pairing-code">{p.code}</div>
                <div className="mgr-pairing-info">
                  <strong>{DEVICE_KIND_LABELS[p.kind]}</strong>
                  {p.counterId && <span>{counterLabel(counters, p.counterId)}</span>}
                  <span className="mgr-muted">
                    {timeOfDay(Date.parse(p.createdAt))} 请求 · 约 {left} 分钟后过期
                  </span>
                </div>
                <input
                  className="mgr-pairing-name"
                  data-testid="pairing-name"
                  maxLength={60}
                  placeholder={suggestedName(p, counters)}
                  aria-label={`设备名称（可不填，默认“${suggestedName(p, counters)}”）`}
                  value={names[p.id] ?? ''}
                  onChange={(e) => setNames({ ...names, [p.id]: e.target.value })}
                />
                <div className="mgr-actions">
                  <button
                    type="button"
                    className="mgr-btn mgr-btn-primary"
                    data-testid="pairing-approve"
                    disabled={busy !== null}
                    onClick={() => act(p, true)}
                  >
                    批准
                  </button>
                  <button
                    type="button"
                    className="mgr-btn"
                    data-testid="pairing-reject"
                    disabled={busy !== null}
                    onClick={() => act(p, false)}
                  >
                    拒绝
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function DeviceList(props: {
  token: string;
  canRevoke: boolean;
  devices: Device[] | null;
  /** Who is connected now (the live view). */
  presence: Record<string, DevicePresence>;
  offline: OfflineDevice[];
  error: string | null;
  counters: Counter[];
  onChanged: () => void;
}) {
  const { token, canRevoke, devices, presence, offline, error, counters, onChanged } = props;
  const offlineFor = new Map(offline.map((o) => [o.device.deviceId, o.seconds]));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const [showAll, setShowAll] = useState(false);

  const revoke = async (d: Device) => {
    setBusy(true);
    setMessage(null);
    try {
      await api('DELETE', `/devices/${d.id}`, token);
      setMessage({ ok: true, text: `已撤销“${d.name}”：该屏幕立即断开，需要重新配对。` });
    } catch (e) {
      setMessage({
        ok: false,
        text:
          e instanceof ApiFailure && e.status === 403
            ? '撤销设备需要系统管理员权限，请联系系统管理员。'
            : failureText(e, '撤销失败，请重试。'),
      });
    } finally {
      setBusy(false);
      setConfirming(null);
      onChanged();
    }
  };

  const numberOf = (d: Device) => counters.find((c) => c.id === d.counterId)?.number ?? 0;
  const faultsOf = (d: Device) => (d.revokedAt ? [] : sortFaults(presence[d.id]?.faults ?? []));
  // 2: a fault that stops it; 1: a warning; 0: none
  const faultRank = (d: Device) => {
    const first = faultsOf(d)[0];
    return first === undefined ? 0 : faultSeverity(first.code) === 'red' ? 2 : 1;
  };
  // problems first: a stopping fault, then offline devices, longest first, then warnings; then by kind and counter
  const sorted = [...(devices ?? [])].sort(
    (a, b) =>
      Number(faultRank(b) === 2) - Number(faultRank(a) === 2) ||
      (offlineFor.get(b.id) ?? -1) - (offlineFor.get(a.id) ?? -1) ||
      faultRank(b) - faultRank(a) ||
      a.kind.localeCompare(b.kind) ||
      numberOf(a) - numberOf(b) ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
  const active = sorted.filter((d) => d.revokedAt === null);
  const revoked = sorted.filter((d) => d.revokedAt !== null);
  const listed = showRevoked ? [...active, ...revoked] : active;
  const rows = showAll ? listed : listed.slice(0, DEVICE_ROWS_SHOWN);

  return (
    <section className="mgr-panel" data-testid="devices">
      <header className="mgr-panel-head">
        <h2>
          设备（{active.length} 台在用，
          <span data-testid="devices-online">{active.filter((d) => presence[d.id]?.online).length}</span> 台在线）
        </h2>
        {revoked.length > 0 && (
          <button type="button" className="mgr-btn mgr-btn-small" onClick={() => setShowRevoked(!showRevoked)}>
            {showRevoked ? '隐藏已撤销' : `显示已撤销（${revoked.length}）`}
          </button>
        )}
      </header>
      {!canRevoke && <p className="mgr-muted mgr-note">撤销设备需要系统管理员权限。</p>}
      {error && <p className="mgr-error">{error}</p>}
      {message && (
        <p className={message.ok ? 'mgr-ok' : 'mgr-error'} role="status" data-testid="device-message">
          {message.text}
        </p>
      )}
      {devices === null ? (
        <p className="mgr-muted">正在读取…</p>
      ) : rows.length === 0 ? (
        <p className="mgr-muted">还没有配对的设备。</p>
      ) : (
        <table className="mgr-table mgr-devices">
          <thead>
            <tr>
              <th>名称</th>
              <th>类型</th>
              <th>窗口</th>
              <th>状态</th>
              {canRevoke && <th aria-label="操作" />}
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr
                key={d.id}
                data-testid="device-row"
                data-device-id={d.id}
                className={d.revokedAt ? 'mgr-row-revoked' : undefined}
              >
                <td className="mgr-cell-name" title={`${d.name} · ${d.createdAt.slice(0, 10)} 配对`}>
                  {d.name}
                </td>
                <td>{DEVICE_KIND_LABELS[d.kind]}</td>
                <td>{counterLabel(counters, d.counterId)}</td>
                <td className="mgr-cell-status" data-testid="device-status">
                  {d.revokedAt ? (
                    `已撤销（${d.revokedAt.slice(0, 10)}）`
                  ) : presence[d.id]?.online ? (
                    <span className="mgr-online">● 在线</span>
                  ) : presence[d.id] ? (
                    <span className="mgr-offline">离线 {formatWait(offlineFor.get(d.id) ?? null)}</span>
                  ) : (
                    <span className="mgr-muted">状态未知</span>
                  )}
                  {faultsOf(d).length > 0 && (
                    <span className="mgr-faults">
                      {faultsOf(d).map((f) => (
                        <span
                          key={f.component}
                          className={`mgr-fault mgr-fault-${faultSeverity(f.code)}`}
                          data-testid="device-fault"
                          data-code={f.code}
                          title={`${faultLabel(f.code)}${f.detail ? `：${f.detail}` : ''} · 自 ${timeOfDay(Date.parse(f.since))}`}
                        >
                          {faultLabel(f.code)}
                        </span>
                      ))}
                    </span>
                  )}
                </td>
                {canRevoke && (
                  <td className="mgr-cell-actions">
                    {d.revokedAt ? null : confirming === d.id ? (
                      <span className="mgr-actions">
                        <button
                          type="button"
                          className="mgr-btn mgr-btn-danger"
                          data-testid="device-revoke-confirm"
                          disabled={busy}
                          onClick={() => revoke(d)}
                        >
                          确认撤销
                        </button>
                        <button type="button" className="mgr-btn" disabled={busy} onClick={() => setConfirming(null)}>
                          取消
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="mgr-btn"
                        data-testid="device-revoke"
                        disabled={busy}
                        onClick={() => setConfirming(d.id)}
                      >
                        撤销
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listed.length > DEVICE_ROWS_SHOWN && (
        <button type="button" className="mgr-btn mgr-btn-small mgr-more" onClick={() => setShowAll(!showAll)}>
          {showAll ? `只看前 ${DEVICE_ROWS_SHOWN} 台` : `显示全部 ${listed.length} 台（另有 ${listed.length - rows.length} 台）`}
        </button>
      )}
    </section>
  );
}
