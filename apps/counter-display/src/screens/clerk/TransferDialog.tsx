/** 转移: pick a service or a counter for the current ticket, with a search box (name, pinyin initials, number). */
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { searchOptions, type TransferOption } from './logic.js';

export function TransferDialog(props: {
  ticketNumber: string;
  options: TransferOption[];
  busy: boolean;
  /** the server's refusal of the last try, shown here above the backdrop */
  error: string | null;
  onPick: (o: TransferOption) => void;
  onClose: () => void;
}) {
  const { ticketNumber, options, busy, error, onPick, onClose } = props;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const found = useMemo(() => searchOptions(options, query), [options, query]);
  const services = found.filter((o) => o.kind === 'service');
  const counters = found.filter((o) => o.kind === 'counter');
  // the arrows and Enter move over what can be picked; a closed counter is listed, greyed, with its reason
  const ordered = [...services, ...counters].filter((o) => !o.unavailable);
  const current = ordered[Math.min(active, ordered.length - 1)];

  useEffect(() => input.current?.focus(), []);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, ordered.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (current && !busy) onPick(current);
    }
  };

  const row = (o: TransferOption) => (
    <li key={`${o.kind}:${o.id}`}>
      <button
        type="button"
        className={`clerk-transfer-option${o === current ? ' active' : ''}${o.unavailable ? ' unavailable' : ''}`}
        data-testid={`transfer-${o.kind}-${o.id}`}
        disabled={busy || o.unavailable !== undefined}
        title={o.unavailable}
        onClick={() => onPick(o)}
        onMouseEnter={() => !o.unavailable && setActive(ordered.indexOf(o))}
      >
        <span className="label">{o.label}</span>
        <span className="detail">{o.detail}</span>
      </button>
    </li>
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes the dialog; Esc does the same
    // biome-ignore lint/a11y/useKeyWithClickEvents: Esc is handled in the dialog
    <div className="clerk-overlay" onClick={onClose}>
      <div
        className="clerk-transfer"
        role="dialog"
        aria-modal="true"
        aria-label={`转移号票 ${ticketNumber}`}
        data-testid="transfer-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKey}
      >
        <header>
          <h2>
            转移号票 <b>{ticketNumber}</b>
          </h2>
          <button type="button" className="clerk-close-x" onClick={onClose} aria-label="取消转移">
            取消 <kbd className="clerk-close-key">Esc</kbd>
          </button>
        </header>
        <input
          ref={input}
          className="clerk-transfer-search"
          data-testid="transfer-search"
          placeholder="搜索业务或窗口：名称、拼音首字母（如 JYDJ）、窗口号"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        {error && (
          <p className="clerk-transfer-error" role="alert" data-testid="transfer-error">
            {error}
          </p>
        )}
        <p className="clerk-transfer-hint">号票保留原取号时间排队。↑↓ 选择，Enter 确定。</p>
        <div className="clerk-transfer-lists">
          <section>
            <h3>转到业务（该业务任一窗口可叫）</h3>
            {services.length ? <ul>{services.map(row)}</ul> : <p className="clerk-muted">没有匹配的业务</p>}
          </section>
          <section>
            <h3>转到窗口（仅该窗口可叫）</h3>
            {counters.length ? <ul>{counters.map(row)}</ul> : <p className="clerk-muted">没有匹配的窗口</p>}
          </section>
        </div>
      </div>
    </div>
  );
}
