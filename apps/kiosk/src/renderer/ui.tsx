/** The kiosk's building blocks: header and clock, status bar, tiles, pager, on-screen keyboard, QR. */
import type { Service } from '@yimen/shared';
import QRCode from 'qrcode';
import { type ReactNode, useEffect, useState } from 'react';
import { type AgentStatus, PRINTABLE_STATES } from '../contract.js';
import { canIssue } from './agent.js';
import type { CategoryView } from './catalog.js';
import { clockParts, noticeParts, waitText } from './format.js';

export function Clock({ offsetMs }: { offsetMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const { time, date } = clockParts(now + offsetMs);
  return (
    <div className="clock" data-testid="clock">
      <div className="clock-time">{time}</div>
      <div className="clock-date">{date}</div>
    </div>
  );
}

export function Header({ hallName, offsetMs }: { hallName: string; offsetMs: number }) {
  return (
    <header className="header">
      <div className="header-mark" aria-hidden="true">
        <span>政</span>
      </div>
      <div className="header-title">
        <h1 data-testid="hall-name">{hallName}</h1>
        <p>自助取号 · 办事指南</p>
      </div>
      <Clock offsetMs={offsetMs} />
    </header>
  );
}

/**
 * Printer, reader and connection: quiet when all is well, a clear banner when tickets cannot be taken.
 * `printFailed`: the last ticket did not come out of the printer; the printer is not shown as fine until a
 * print succeeds (or the agent says otherwise).
 */
export function StatusBar({
  status,
  online,
  printFailed,
}: {
  status: AgentStatus | null;
  online: boolean;
  printFailed: boolean;
}) {
  const printer = status?.printer;
  const stop = printer && !canIssue(printer.state);
  const failed = printFailed && printer !== undefined && PRINTABLE_STATES.includes(printer.state);
  const banner = printer ? noticeParts(printer.message) : null;
  return (
    <div className="status">
      {!online && (
        <div className="banner banner-stop" data-testid="connection-lost" role="alert">
          <strong>连接中断，暂停取号</strong>
          <span>正在重新连接排队系统，请稍候或到咨询台取号。</span>
        </div>
      )}
      {online && stop && banner && (
        <div className="banner banner-stop" data-testid="printer-banner" role="alert">
          <strong>{banner.head}</strong>
          {banner.rest && <span>{banner.rest}</span>}
        </div>
      )}
      {printer?.state === 'paper-near-end' && (
        <div className="notice" data-testid="paper-notice">
          打印纸即将用完，已通知工作人员
        </div>
      )}
      <div className="status-line" data-testid="status-line">
        <span className={`dot ${online ? 'ok' : 'bad'}`} />
        <span>{online ? '排队系统已连接' : '排队系统未连接'}</span>
        {printer && (
          <>
            <span
              className={`dot ${failed ? 'warn' : printer.state === 'ready' ? 'ok' : printer.state === 'absent' ? 'off' : canIssue(printer.state) ? 'warn' : 'bad'}`}
            />
            <span data-testid="printer-state">{failed ? '上张号票未能打印' : PRINTER_LABELS[printer.state]}</span>
          </>
        )}
        {status?.reader && (
          <>
            <span
              className={`dot ${status.reader.state === 'ready' ? 'ok' : status.reader.state === 'absent' ? 'off' : 'bad'}`}
            />
            <span data-testid="reader-state">{READER_LABELS[status.reader.state]}</span>
          </>
        )}
      </div>
    </div>
  );
}

const PRINTER_LABELS: Record<AgentStatus['printer']['state'], string> = {
  ready: '打印机正常',
  'paper-near-end': '打印纸将尽',
  'paper-out': '打印机缺纸',
  'cover-open': '打印机盖未关',
  offline: '打印机未连接',
  error: '打印机故障',
  absent: '号码显示在屏幕上',
};
export const READER_LABELS: Record<AgentStatus['reader']['state'], string> = {
  ready: '读卡器就绪',
  offline: '读卡器未连接',
  absent: '无身份证读卡器',
};

/** `paused`: no ticket can be taken now (printer, connection): the tile says so and does not open. */
export function CategoryTile({ category, paused, onOpen }: { category: CategoryView; paused: boolean; onOpen: () => void }) {
  return (
    <button
      type="button"
      className={`tile category-tile${paused ? ' disabled' : ''}`}
      data-testid={`category-${category.name}`}
      aria-disabled={paused ? 'true' : undefined}
      onClick={() => {
        if (!paused) onOpen();
      }}
    >
      <span className="glyph" aria-hidden="true">
        {category.glyph}
      </span>
      <span className="tile-name">{category.name}</span>
      {paused ? (
        <span className="tile-meta tile-paused">暂停取号</span>
      ) : (
        <span className="tile-meta">
          等候 <b>{category.waiting}</b> 人
        </span>
      )}
    </button>
  );
}

export function ServiceTile(props: {
  service: Service;
  /** The service's own waiting tickets (等候 N 人). */
  waiting: number;
  /** The people a new ticket would have ahead (the wait estimate follows them). */
  ahead: number | null;
  minutes: number | null;
  unavailable: string | null;
  onTake: () => void;
}) {
  const { service, waiting, ahead, minutes, unavailable, onTake } = props;
  return (
    <button
      type="button"
      className={`tile service-tile${unavailable ? ' disabled' : ''}`}
      data-testid={`service-${service.id}`}
      aria-disabled={unavailable ? 'true' : undefined}
      onClick={() => {
        if (!unavailable) onTake();
      }}
    >
      <span className="tile-name">{service.name}</span>
      <span className="tile-dept">{service.department}</span>
      {unavailable ? (
        <span className="tile-closed" data-testid="service-closed">
          {unavailable}
        </span>
      ) : (
        <span className="tile-queue">
          <span>
            等候 <b>{waiting}</b> 人
          </span>
          <span>{waitText(minutes, ahead)}</span>
        </span>
      )}
    </button>
  );
}

/** A list in pages, with big 上一页 / 下一页 (no scrolling needed on a touch screen). */
export function Paged<T>(props: {
  items: readonly T[];
  pageSize: number;
  className: string;
  render: (item: T) => ReactNode;
  keyOf: (item: T) => string;
  empty?: ReactNode;
  testid?: string;
}) {
  const { items, pageSize, className, render, keyOf, empty, testid } = props;
  const [page, setPage] = useState(0);
  const count = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(page, count - 1);
  const shown = items.slice(current * pageSize, current * pageSize + pageSize);
  return (
    <div className="paged" data-testid={testid}>
      {items.length === 0 ? (
        <div className="empty">{empty}</div>
      ) : (
        <div className={className}>
          {shown.map((item) => (
            <div key={keyOf(item)} className="cell">
              {render(item)}
            </div>
          ))}
        </div>
      )}
      {count > 1 && (
        <div className="pager">
          <button type="button" className="btn" disabled={current === 0} onClick={() => setPage(current - 1)}>
            上一页
          </button>
          <span className="pager-count">
            第 {current + 1} / {count} 页
          </span>
          <button
            type="button"
            className="btn"
            data-testid="next-page"
            disabled={current >= count - 1}
            onClick={() => setPage(current + 1)}
          >
            下一页
          </button>
        </div>
      )}
    </div>
  );
}

const ROWS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

/** Letters only: a kiosk has no system keyboard; citizens type pinyin initials (bdc) or full pinyin. */
export function Keyboard(props: {
  onKey: (k: string) => void;
  onBackspace: () => void;
  onClear: () => void;
  onClose: () => void;
}) {
  const { onKey, onBackspace, onClear, onClose } = props;
  return (
    <div className="keyboard" data-testid="keyboard">
      {ROWS.map((row, i) => (
        <div className="kb-row" key={row}>
          {[...row].map((k) => (
            <button
              type="button"
              key={k}
              className="key"
              data-testid={`key-${k.toLowerCase()}`}
              onClick={() => onKey(k.toLowerCase())}
            >
              {k}
            </button>
          ))}
          {i === 2 && (
            <button type="button" className="key key-wide" data-testid="key-backspace" onClick={onBackspace}>
              删除
            </button>
          )}
        </div>
      ))}
      <div className="kb-row">
        <button type="button" className="key key-wide" data-testid="key-clear" onClick={onClear}>
          清空
        </button>
        <button type="button" className="key key-done" data-testid="key-done" onClick={onClose}>
          收起键盘
        </button>
      </div>
    </div>
  );
}

export function QrImage({ text, testid, className }: { text: string; testid?: string; className: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(text, { margin: 4, width: 720, errorCorrectionLevel: 'M' }) // the standard's 4-module quiet zone: phones need it
      .then((url) => {
        if (alive) setSrc(url);
      })
      .catch(() => {
        if (alive) setSrc(null);
      });
    return () => {
      alive = false;
    };
  }, [text]);
  if (!src) return <div className={`${className} qr-placeholder`} />;
  return <img className={className} src={src} alt="号票二维码：扫码查看排队进度" data-testid={testid} />;
}

export function BackButton({ onClick, label = '返回' }: { onClick: () => void; label?: string }) {
  return (
    <button type="button" className="btn btn-back" data-testid="back" onClick={onClick}>
      <span aria-hidden="true">‹</span> {label}
    </button>
  );
}
