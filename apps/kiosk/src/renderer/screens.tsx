/** The kiosk's screens: home, a category's services, the card reader, the confirmation sheet, the ticket. */
import { isNoWait, type Service } from '@yimen/shared';
import { useEffect, useState } from 'react';
import type { AgentStatus, CardView, TakeNumberResult } from '../contract.js';
import type { CategoryView } from './catalog.js';
import { aheadText, sentences, waitText } from './format.js';
import { Icon } from './icons.js';
import { BackButton, CategoryTile, Paged, QrImage, READER_LABELS, ServiceTile } from './ui.js';

export interface ServiceInfo {
  /** The service's own waiting tickets (the tiles' 等候 N 人). */
  waiting: number;
  /** The people a new ticket would have ahead now (the confirmation's 前面还有 N 人); null: unknown. */
  ahead: number | null;
  minutes: number | null;
  unavailable: string | null;
}

export function CardGreeting({ card, compact, onCancel }: { card: CardView; compact: boolean; onCancel: () => void }) {
  return (
    <div className={`card-greeting${compact ? ' compact' : ''}`} data-testid="card-greeting">
      <Icon name="card" className="card-icon" />
      <div className="card-text">
        <div className="card-hello">
          <b data-testid="card-name">{card.maskedName}</b> 您好
          {card.elderly && (
            <span className="badge badge-elderly" data-testid="elderly-priority">
              已享长者优先
            </span>
          )}
        </div>
        {!compact && <div className="card-hint">已读取您的身份证，请选择您要办理的业务</div>}
      </div>
      <button type="button" className="btn btn-ghost" data-testid="card-cancel" onClick={onCancel}>
        不使用身份证
      </button>
    </div>
  );
}

export function SearchBox(props: { query: string; onChange: (q: string) => void; onOpen: () => void; placeholder: string }) {
  const { query, onChange, onOpen, placeholder } = props;
  return (
    <div className="search">
      <Icon name="search" className="search-icon" />
      <input
        className="search-input"
        data-testid="search-input"
        value={query}
        inputMode="none"
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        onFocus={onOpen}
        onClick={onOpen}
        onChange={(e) => onChange(e.target.value)}
      />
      {query && (
        <button type="button" className="search-clear" data-testid="search-clear" onClick={() => onChange('')}>
          清空
        </button>
      )}
    </div>
  );
}

export function ServiceGrid(props: {
  services: readonly Service[];
  info: (s: Service) => ServiceInfo;
  pageSize: number;
  onTake: (s: Service) => void;
  empty?: string;
  testid?: string;
}) {
  const { services, info, pageSize, onTake, empty, testid } = props;
  return (
    <Paged
      items={services}
      pageSize={pageSize}
      className="grid service-grid"
      keyOf={(s) => s.id}
      testid={testid}
      empty={empty}
      render={(s) => {
        const i = info(s);
        return (
          <ServiceTile
            service={s}
            waiting={i.waiting}
            ahead={i.ahead}
            minutes={i.minutes}
            unavailable={i.unavailable}
            onTake={() => onTake(s)}
          />
        );
      }}
    />
  );
}

export function CategoryGrid(props: {
  categories: readonly CategoryView[];
  pageSize: number;
  /** No ticket can be taken now: every tile says 暂停取号. */
  paused: boolean;
  onOpen: (c: CategoryView) => void;
}) {
  const { categories, pageSize, paused, onOpen } = props;
  return (
    <Paged
      items={categories}
      pageSize={pageSize}
      className="grid category-grid"
      keyOf={(c) => c.id}
      testid="categories"
      empty="暂无可取号的业务"
      render={(c) => <CategoryTile category={c} paused={paused} onOpen={() => onOpen(c)} />}
    />
  );
}

export function CategoryScreen(props: {
  category: CategoryView;
  info: (s: Service) => ServiceInfo;
  pageSize: number;
  onTake: (s: Service) => void;
  onBack: () => void;
}) {
  const { category, info, pageSize, onTake, onBack } = props;
  return (
    <section className="screen" data-testid="category-view">
      <div className="title-row">
        <BackButton onClick={onBack} />
        <h2>{category.name}</h2>
      </div>
      <p className="prompt">请选择您要办理的业务</p>
      <ServiceGrid services={category.services} info={info} pageSize={pageSize} onTake={onTake} testid="services" />
    </section>
  );
}

export function CardScreen({ status, onBack }: { status: AgentStatus | null; onBack: () => void }) {
  const reader = status?.reader;
  const absent = !reader || reader.state === 'absent';
  return (
    <section className="screen card-screen" data-testid="card-screen">
      <div className="title-row">
        <BackButton onClick={onBack} />
        <h2>刷身份证取号</h2>
      </div>
      <div className="reader-art" aria-hidden="true">
        <div className="reader-pad">
          <div className="id-card">
            <div className="id-photo" />
            <div className="id-lines">
              <i />
              <i />
              <i />
            </div>
          </div>
          <div className="reader-waves" />
        </div>
      </div>
      <p className="card-instruction">{absent ? '本机不能读取身份证' : '请将身份证放在读卡区'}</p>
      {!absent && <p className="card-sub">读取后请选择要办理的业务；年满规定年龄的长者自动享受优先</p>}
      <p className={`reader-state ${reader?.state ?? 'absent'}`} data-testid="card-reader-state">
        {absent
          ? '本机未配备身份证读卡器，请返回首页直接选择业务取号'
          : `${READER_LABELS[reader.state]}${reader.state === 'ready' ? '，等待放卡…' : `：${reader.message}`}`}
      </p>
      <p className="privacy">本机不保存您的身份证信息</p>
    </section>
  );
}

export interface SheetState {
  serviceId: string;
  requestId: string;
  phase: 'ready' | 'issuing' | 'error';
  error: { code: string; message: string } | null;
  /** The error allows trying again with the same requestId (a network error). */
  retry: boolean;
}

export function ConfirmSheet(props: {
  sheet: SheetState;
  service: Service;
  info: ServiceInfo;
  card: CardView | null;
  blocked: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { sheet, service, info, card, blocked, onConfirm, onCancel } = props;
  const issuing = sheet.phase === 'issuing';
  const refused = sheet.phase === 'error' && !sheet.retry;
  return (
    <div className="sheet-backdrop">
      <div className="sheet" data-testid="confirm-sheet" role="dialog" aria-modal="true" aria-label="确认取号">
        <h2>确认取号</h2>
        <div className="sheet-service" data-testid="confirm-service">
          {service.name}
        </div>
        <div className="sheet-dept">{service.department}</div>
        <div className="sheet-facts">
          <div>
            <span>前面还有</span>
            <b data-testid="confirm-ahead">{aheadText(info.ahead)}</b>
            {info.ahead !== null && <span>人</span>}
          </div>
          <div data-testid="confirm-wait">
            {isNoWait(info.ahead, info.minutes) ? (
              <b className="small">无需等候</b>
            ) : (
              <>
                <span>预计等候</span>
                <b className="small">{waitText(info.minutes, info.ahead)}</b>
              </>
            )}
          </div>
        </div>
        {card && (
          <div className="sheet-card" data-testid="confirm-card">
            <span>
              持证人 <b>{card.maskedName}</b>
            </span>
            {card.elderly && <span className="badge badge-elderly">长者优先</span>}
          </div>
        )}
        {(blocked || sheet.error) && (
          <div className="sheet-error" data-testid="take-error" role="alert">
            {sentences(blocked ?? sheet.error?.message ?? '').map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the sentences of one fixed message
              <span key={i}>{line}</span>
            ))}
          </div>
        )}
        <div className="sheet-actions">
          <button
            type="button"
            className="btn btn-big btn-secondary"
            data-testid="cancel-take"
            disabled={issuing}
            onClick={onCancel}
          >
            {refused ? '返回' : '取消'}
          </button>
          {!refused && (
            <button
              type="button"
              className="btn btn-big btn-primary"
              data-testid="confirm-take"
              disabled={issuing || blocked !== null}
              onClick={onConfirm}
            >
              {issuing ? '正在出票…' : sheet.phase === 'error' ? '重试' : '确认取号'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

export function TicketScreen(props: {
  result: TakeNumberResult;
  service: Service | undefined;
  footer: string;
  seconds: number;
  onDone: () => void;
}) {
  const { result, service, footer, seconds, onDone } = props;
  const { ticket, printed } = result;
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const t = setInterval(() => {
      const l = seconds - Math.floor((Date.now() - started) / 1000);
      setLeft(Math.max(0, l));
      if (l <= 0) onDone();
    }, 250);
    return () => clearInterval(t);
  }, [seconds, onDone]);
  const ahead = ticket.peopleAhead;
  return (
    <section
      className={`screen ticket-screen ${printed ? 'printed' : 'fallback'}`}
      data-testid={printed ? 'printed-view' : 'fallback-view'}
      data-ticket-id={ticket.id}
    >
      <h2 className="ticket-title">{printed ? '请取走您的号票' : '请拍照记下您的号码'}</h2>
      {!printed && (
        <p className="ticket-why" data-testid="ticket-why">
          {result.printError ? '号票未能打印，' : '本机不打印号票，'}您的号码同样有效，请留意叫号
        </p>
      )}
      <div className="ticket-card">
        <div className="ticket-label">您的号码</div>
        <div className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </div>
        {ticket.priority === 'elderly' && <span className="badge badge-elderly">长者优先</span>}
        <div className="ticket-service">{service?.name ?? ''}</div>
        <div className="ticket-facts">
          <div>
            前面还有 <b data-testid="ticket-ahead">{aheadText(ahead)}</b>
            {ahead !== null && ' 人'}
          </div>
          <div data-testid="ticket-wait">
            {isNoWait(ahead, ticket.estimatedWaitMinutes)
              ? '无需等候，请留意叫号'
              : `预计等候 ${waitText(ticket.estimatedWaitMinutes, ahead)}`}
          </div>
        </div>
        {!printed && (
          <div className="ticket-qr">
            <QrImage text={result.statusUrl} testid="fallback-qr" className="qr qr-large" />
            <p>用手机扫码，随时查看排队进度</p>
          </div>
        )}
        <p className="ticket-footer">请留意大厅叫号屏和语音叫号。{footer}</p>
      </div>
      <div className="ticket-actions">
        <button type="button" className="btn btn-big btn-primary" data-testid="ticket-done" onClick={onDone}>
          完成
        </button>
        <span className="ticket-countdown">{left} 秒后返回首页</span>
      </div>
    </section>
  );
}
