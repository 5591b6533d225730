/**
 * 号票打印记录: in demo mode the server runs a virtual printer for the demo kiosk and lists what it printed
 * (GET /demo/printer/index.json, newest first; the PNGs at /demo/printer/<file>). The newest ticket is shown
 * as printed, the last few beside it; a click shows another, a click on the ticket its original size (one dot,
 * one pixel). Without a demo printer (404) there is no panel.
 */
import { useCallback, useState } from 'react';
import { type PrintedTicket, parsePrinted, printedNumber, printedTrouble, timeOfDay } from './model.js';
import { usePolled } from './usePolled.js';

const PRINTED_POLL_MS = 5000;
/** Without a demo printer (404) the server is asked again now and then only: it starts in demo mode or not. */
const NO_PRINTER_POLL_MS = 60_000;
const PRINTED_SHOWN = 8;
const PRINTER_PATH = '/demo/printer/';

/** The record, or null when this server has no demo printer. */
async function loadPrinted(): Promise<PrintedTicket[] | null> {
  const r = await fetch(`${PRINTER_PATH}index.json`, { cache: 'no-store' });
  if (r.status === 404) return null;
  if (!r.ok) throw new Error(`读取打印记录失败（${r.status}）`);
  return parsePrinted(await r.json(), PRINTED_SHOWN);
}

const imageUrl = (t: PrintedTicket) => `${PRINTER_PATH}${encodeURIComponent(t.file)}`;
const printedAt = (t: PrintedTicket) => timeOfDay(Date.parse(t.receivedAt), true);

export function PrintedTickets({ onUnauthenticated }: { onUnauthenticated: () => void }) {
  const load = useCallback(loadPrinted, []);
  const [hasPrinter, setHasPrinter] = useState(false);
  const printed = usePolled(load, hasPrinter ? PRINTED_POLL_MS : NO_PRINTER_POLL_MS, onUnauthenticated);
  if (hasPrinter !== (printed.data !== null)) setHasPrinter(printed.data !== null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [fullSize, setFullSize] = useState(false);
  const list = printed.data;
  if (list === null) return null;

  const shown = list.find((t) => t.file === chosen) ?? list[0];
  return (
    <section className="mgr-panel" data-testid="printed" aria-label="号票打印记录">
      <header className="mgr-panel-head">
        <h2>号票打印记录</h2>
        <span className="mgr-muted">演示打印机 · 每 5 秒更新</span>
      </header>
      {printed.error && <p className="mgr-error">暂时读不到打印记录，稍后自动重试；以下是上次读到的。</p>}
      {shown === undefined ? (
        <p className="mgr-muted" data-testid="printed-empty">
          还没有打印的号票：取号机出票后显示在这里。
        </p>
      ) : (
        <div className={`mgr-printed${fullSize ? ' mgr-printed-full' : ''}`}>
          <figure className="mgr-printed-main" data-testid="printed-main" data-file={shown.file}>
            <button
              type="button"
              className="mgr-printed-zoom"
              aria-pressed={fullSize}
              title={fullSize ? '点击缩小' : '点击查看原尺寸（与打印出的一样，每个点一个像素）'}
              data-testid="printed-zoom"
              onClick={() => setFullSize(!fullSize)}
            >
              <img className="mgr-printed-img" src={imageUrl(shown)} alt={`号票 ${printedNumber(shown.lines) ?? shown.file}`} />
            </button>
          </figure>
          <div className="mgr-printed-side">
            <TicketCaption ticket={shown} newest={shown === list[0]} />
            <ol className="mgr-printed-strip" aria-label={`最近 ${list.length} 张`}>
              {list.map((t) => {
                const trouble = printedTrouble(t);
                return (
                  <li key={t.file}>
                    <button
                      type="button"
                      className={`mgr-printed-thumb${t === shown ? ' mgr-printed-thumb-on' : ''}${trouble ? ' mgr-printed-thumb-bad' : ''}`}
                      aria-pressed={t === shown}
                      title={`${printedNumber(t.lines) ?? t.file} · ${printedAt(t)}${trouble ? ` · ${trouble}` : ''}`}
                      data-testid="printed-thumb"
                      data-file={t.file}
                      onClick={() => setChosen(t === list[0] ? null : t.file)}
                    >
                      <img src={imageUrl(t)} alt="" loading="lazy" />
                      <span className="mgr-printed-thumb-no">{printedNumber(t.lines) ?? '—'}</span>
                      {trouble && <span className="mgr-printed-thumb-flag">{t.complete ? '未出票' : '中断'}</span>}
                    </button>
                  </li>
                );
              })}
            </ol>
          </div>
        </div>
      )}
    </section>
  );
}

function TicketCaption({ ticket, newest }: { ticket: PrintedTicket; newest: boolean }) {
  const trouble = printedTrouble(ticket);
  const number = printedNumber(ticket.lines);
  return (
    <div className="mgr-printed-caption" data-testid="printed-caption">
      <div className="mgr-printed-title">
        <strong className="mgr-printed-no">{number ?? '号票'}</strong>
        {newest && <span className="mgr-tag mgr-tag-plain">最新</span>}
        {trouble && (
          <span className="mgr-printed-trouble" data-testid="printed-trouble">
            {trouble}
          </span>
        )}
      </div>
      <span className="mgr-muted">{printedAt(ticket)} 打印</span>
    </div>
  );
}
