/**
 * The kiosk's one screen and its state: what is shown (home, a category, the card reader, the guides, a
 * ticket), the confirmation sheet, the search, 长者模式, the card held by the agent, and the idle reset.
 */
import { api } from '@yimen/counter-display/lib/api.js';
import type { ConnectionState } from '@yimen/counter-display/lib/connection.js';
import type { Category, GuidesResponse, Service } from '@yimen/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AgentStatus, CardView, KioskApi, TakeNumberResult } from '../contract.js';
import { canIssue, isRetryable } from './agent.js';
import { categorize, type GuideMap, guideMap } from './catalog.js';
import { newRequestId, queueOf, unavailableReason } from './format.js';
import { GuidePage, GuidesScreen } from './guides.js';
import { IdleWatcher } from './IdleWatcher.js';
import { Icon } from './icons.js';
import {
  CardGreeting,
  CardScreen,
  CategoryGrid,
  CategoryScreen,
  ConfirmSheet,
  SearchBox,
  ServiceGrid,
  type ServiceInfo,
  type SheetState,
  TicketScreen,
} from './screens.js';
import { buildIndex, searchServices } from './search.js';
import { Header, Keyboard, StatusBar } from './ui.js';
import { SAY, speak, stopSpeaking } from './voice.js';

type Screen =
  | { kind: 'home' }
  | { kind: 'category'; categoryId: string }
  | { kind: 'card' }
  | { kind: 'guides'; categoryId: string | null }
  | { kind: 'guide'; serviceId: string; back: Screen }
  | { kind: 'ticket'; result: TakeNumberResult };

const HOME: Screen = { kind: 'home' };
/** Seconds a ticket stays on screen: a printed one is taken at once; a number to photograph needs longer. */
const TICKET_SECONDS = { printed: 15, fallback: 30 };

function useOrientation(): 'portrait' | 'landscape' {
  const query = '(orientation: landscape)';
  const [landscape, setLandscape] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setLandscape(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return landscape ? 'landscape' : 'portrait';
}

/** Items per page: fewer (and bigger) in 长者模式. */
function pageSizes(orientation: 'portrait' | 'landscape', elderly: boolean) {
  if (orientation === 'portrait')
    return elderly ? { categories: 6, services: 4, guides: 4 } : { categories: 8, services: 8, guides: 8 };
  // 长者模式 in landscape: one row of three big category tiles (two rows of them do not fit above the pager)
  return elderly ? { categories: 3, services: 4, guides: 4 } : { categories: 8, services: 6, guides: 6 };
}

export function Kiosk(props: {
  token: string;
  state: ConnectionState & { view: NonNullable<ConnectionState['view']> };
  agent: KioskApi;
  idleSeconds: number;
}) {
  const { token, state, agent, idleSeconds } = props;
  const { view } = state;
  const online = state.status === 'live';
  const orientation = useOrientation();

  const [screen, setScreen] = useState<Screen>(HOME);
  const [sheet, setSheet] = useState<SheetState | null>(null);
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);
  const [elderly, setElderly] = useState(false);
  const [status, setStatus] = useState<AgentStatus | null>(null);
  const [card, setCard] = useState<CardView | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  /** The last ticket did not print (the agent's own word, status.printer.lastPrintFailed, wins when it has one). */
  const [printFailed, setPrintFailed] = useState(false);
  const [catalog, setCatalog] = useState<{ categories: Category[]; guides: GuideMap }>({ categories: [], guides: {} });
  const issuing = useRef(false);
  const screenRef = useRef(screen);
  screenRef.current = screen;

  // ------------------------------------------------------------ the server's clock (the hall's time, not the PC's)
  const [offsetMs, setOffsetMs] = useState(0);
  useEffect(() => {
    const t = Date.parse(view.serverTime);
    if (Number.isFinite(t)) setOffsetMs(t - Date.now());
  }, [view.serverTime]);
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setTick(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const nowMs = tick + offsetMs;

  // ------------------------------------------------------------ guides and categories (GET /api/v1/guides)
  useEffect(() => {
    if (!online) return;
    let alive = true;
    api<GuidesResponse>('GET', '/guides', token)
      .then((r) => {
        if (alive) setCatalog({ categories: r.categories, guides: guideMap(r.guides) });
      })
      .catch(() => {
        // No guides (an older server): categories come from the services' own category names.
      });
    return () => {
      alive = false;
    };
  }, [online, token]);

  // ------------------------------------------------------------ the agent: status, card events
  useEffect(() => {
    let alive = true;
    void agent.status().then((s) => {
      if (!alive) return;
      setStatus(s);
      setCard(s.card);
    });
    const stop = agent.subscribe((e) => {
      switch (e.type) {
        case 'status:changed':
          setStatus(e.status);
          setCard(e.status.card);
          if (e.status.printer.lastPrintFailed !== true) setPrintFailed(false);
          break;
        case 'card:read': {
          setCard(e.card);
          setToast(null);
          const k = screenRef.current.kind;
          if (k === 'card' || k === 'ticket') setScreen(HOME);
          break;
        }
        case 'card:cleared':
          setCard(null);
          break;
        case 'card:failed':
          setToast(e.error.message);
          break;
      }
    });
    return () => {
      alive = false;
      stop();
    };
  }, [agent]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(t);
  }, [toast]);

  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
    document.documentElement.dataset.orientation = orientation;
  }, [elderly, orientation]);

  // ------------------------------------------------------------ what the hall offers now
  const categories = useMemo(
    () => categorize(view.services, catalog.categories, view.queues),
    [view.services, catalog.categories, view.queues],
  );
  const serviceById = useMemo(() => new Map(view.services.map((s) => [s.id, s])), [view.services]);
  const index = useMemo(() => buildIndex(view.services), [view.services]);
  const results = useMemo(() => searchServices(index, query), [index, query]);
  /** Why no ticket can be taken now (the connection, the printer), or null. */
  const blocked = !online
    ? '连接中断，暂停取号。请稍候或到咨询台取号。'
    : status && !canIssue(status.printer.state)
      ? status.printer.message
      : null;
  const paused = blocked !== null;
  const info = useCallback(
    (s: Service): ServiceInfo => ({
      ...queueOf(view.queues, s.id),
      unavailable: unavailableReason(s, nowMs, view.hall.timezone) ?? (paused ? '暂停取号' : null),
    }),
    [view.queues, nowMs, view.hall.timezone, paused],
  );
  const reader = status?.reader.state ?? 'absent';
  const sizes = pageSizes(orientation, elderly);

  // ------------------------------------------------------------ 长者模式: spoken guidance at each step
  const sheetService = sheet ? serviceById.get(sheet.serviceId) : undefined;
  const spokenStep =
    screen.kind === 'home'
      ? card
        ? SAY.greeting(card.elderly)
        : SAY.chooseCategory
      : screen.kind === 'category'
        ? SAY.chooseService
        : screen.kind === 'card'
          ? SAY.placeCard
          : screen.kind === 'guide'
            ? SAY.guide(serviceById.get(screen.serviceId)?.name ?? '')
            : screen.kind === 'ticket'
              ? (screen.result.printed ? SAY.printed : SAY.fallback)(screen.result.ticket.number)
              : null;
  const sheetSpeech = sheetService && sheet?.phase === 'ready' ? SAY.confirm(sheetService.name, info(sheetService).ahead) : null;
  const speech = sheetSpeech ?? spokenStep;
  const wasElderly = useRef(false);
  useEffect(() => {
    const justOn = elderly && !wasElderly.current;
    wasElderly.current = elderly;
    if (elderly && speech) speak(justOn ? `${SAY.elderlyOn}。${speech}` : speech);
  }, [elderly, speech]);

  // ------------------------------------------------------------ actions
  const goHome = useCallback(() => {
    setScreen(HOME);
    setSheet(null);
    setQuery('');
    setKeyboard(false);
  }, []);

  const clearCard = useCallback(() => {
    setCard(null);
    void agent.clearCard();
  }, [agent]);

  /** Idle: forget everything about the citizen. */
  const reset = useCallback(() => {
    goHome();
    setElderly(false);
    setToast(null);
    issuing.current = false;
    stopSpeaking();
    clearCard();
  }, [goHome, clearCard]);

  const openSheet = (s: Service) => {
    setKeyboard(false);
    setSheet({ serviceId: s.id, requestId: newRequestId(), phase: 'ready', error: null, retry: false });
  };

  const confirm = async () => {
    if (!sheet || issuing.current || blocked) return;
    issuing.current = true;
    const current = sheet;
    setSheet({ ...current, phase: 'issuing', error: null });
    try {
      const st = await agent.status();
      setStatus(st);
      if (!canIssue(st.printer.state)) {
        setSheet({ ...current, phase: 'error', error: { code: 'PRINTER', message: st.printer.message }, retry: true });
        return;
      }
      const ack = await agent.takeNumber({ serviceId: current.serviceId, requestId: current.requestId, useCard: card !== null });
      if ('data' in ack) {
        setPrintFailed(ack.data.printError !== null);
        setSheet(null);
        setQuery('');
        setKeyboard(false);
        setScreen({ kind: 'ticket', result: ack.data });
        if (card) clearCard();
      } else {
        // A network error: the same requestId on 重试 (never two tickets); a refusal: its zh-CN message.
        setSheet({ ...current, phase: 'error', error: ack.error, retry: isRetryable(ack.error.code) });
      }
    } finally {
      issuing.current = false;
    }
  };

  const toggleElderly = () => {
    if (elderly) stopSpeaking();
    setElderly(!elderly);
  };

  // ------------------------------------------------------------ the screen
  const pristine = screen.kind === 'home' && !sheet && !query && !keyboard && !elderly && !card && !toast;
  const searchBox = (placeholder: string) => (
    <SearchBox query={query} onChange={setQuery} onOpen={() => setKeyboard(true)} placeholder={placeholder} />
  );

  let main: React.ReactNode;
  switch (screen.kind) {
    case 'home':
      main = (
        <section className="screen home" data-testid="home">
          {card && <CardGreeting card={card} compact={false} onCancel={clearCard} />}
          {searchBox('输入业务名称拼音或首字母，如 bdc')}
          {query ? (
            <>
              <p className="prompt">
                “{query}” 的搜索结果 <span className="muted">（{results.length} 项）</span>
              </p>
              <ServiceGrid
                key={query}
                services={results}
                info={info}
                pageSize={sizes.services}
                onTake={openSheet}
                testid="search-results"
                empty="没有找到相关业务，请换个拼音或到咨询台咨询"
              />
            </>
          ) : (
            <>
              <p className="prompt">
                {paused ? '暂停取号，办事指南仍可查看' : card ? '请选择业务类别' : '请选择业务类别，或输入拼音首字母查找'}
              </p>
              <CategoryGrid
                categories={categories}
                pageSize={sizes.categories}
                paused={paused}
                onOpen={(c) => {
                  setKeyboard(false);
                  setScreen({ kind: 'category', categoryId: c.id });
                }}
              />
            </>
          )}
        </section>
      );
      break;
    case 'category': {
      const c = categories.find((x) => x.id === screen.categoryId);
      main = c ? (
        <CategoryScreen
          key={`${c.id}-${elderly}`}
          category={c}
          info={info}
          pageSize={sizes.services}
          onTake={openSheet}
          onBack={goHome}
        />
      ) : null;
      break;
    }
    case 'card':
      main = <CardScreen status={status} onBack={goHome} />;
      break;
    case 'guides': {
      const withGuide = view.services.filter((s) => catalog.guides[s.id]);
      const found = query ? results.filter((s) => catalog.guides[s.id]) : withGuide;
      main = (
        <GuidesScreen
          categories={categories}
          categoryId={screen.categoryId}
          services={found}
          searching={query !== ''}
          guides={catalog.guides}
          pageSize={sizes.guides}
          onCategory={(id) => setScreen({ kind: 'guides', categoryId: id })}
          onOpen={(s) => {
            setKeyboard(false);
            setScreen({ kind: 'guide', serviceId: s.id, back: screen });
          }}
          onBack={goHome}
          searchBox={searchBox('输入业务名称拼音或首字母查找指南')}
        />
      );
      break;
    }
    case 'guide': {
      const s = serviceById.get(screen.serviceId);
      const g = catalog.guides[screen.serviceId];
      main =
        s && g ? (
          <GuidePage
            service={s}
            guide={g}
            canTake={info(s).unavailable}
            onTake={() => openSheet(s)}
            onBack={() => setScreen(screen.back)}
          />
        ) : null;
      break;
    }
    case 'ticket':
      main = (
        <TicketScreen
          result={screen.result}
          service={serviceById.get(screen.result.ticket.serviceId)}
          footer={view.hall.ticketFooter}
          seconds={screen.result.printed ? TICKET_SECONDS.printed : TICKET_SECONDS.fallback}
          onDone={goHome}
        />
      );
      break;
  }

  return (
    <div
      className={`kiosk ${orientation}${keyboard || screen.kind === 'ticket' ? ' no-side' : ''}`}
      data-testid="kiosk"
      data-screen={screen.kind}
    >
      <Header hallName={view.hall.name} offsetMs={offsetMs} />
      <StatusBar status={status} online={online} printFailed={printFailed || status?.printer.lastPrintFailed === true} />
      {card && screen.kind !== 'home' && screen.kind !== 'ticket' && <CardGreeting card={card} compact onCancel={clearCard} />}
      <main className="main">{main}</main>
      {keyboard ? (
        <Keyboard
          onKey={(k) => setQuery((q) => (q.length < 20 ? q + k : q))}
          onBackspace={() => setQuery((q) => [...q].slice(0, -1).join(''))}
          onClear={() => setQuery('')}
          onClose={() => setKeyboard(false)}
        />
      ) : screen.kind === 'ticket' ? null : (
        <nav className={`actions${screen.kind === 'home' && reader === 'absent' ? ' two' : ''}`}>
          {screen.kind === 'home' ? (
            // No reader on this machine: no card button at all (it would lead to a reader that is not there);
            // a reader that is there but not answering: the button says so and waits.
            reader === 'absent' ? null : (
              <button
                type="button"
                className="action action-card"
                data-testid="card-button"
                disabled={reader !== 'ready'}
                onClick={() => setScreen({ kind: 'card' })}
              >
                <Icon name="card" className="action-icon" />
                <span className="action-label">
                  刷身份证取号
                  {reader !== 'ready' && <small>读卡器未连接</small>}
                </span>
              </button>
            )
          ) : (
            <button type="button" className="action" data-testid="home-button" onClick={goHome}>
              <Icon name="home" className="action-icon" />
              返回首页
            </button>
          )}
          <button
            type="button"
            className={`action${screen.kind === 'guides' || screen.kind === 'guide' ? ' current' : ''}`}
            data-testid="guides-button"
            onClick={() => {
              setQuery('');
              setKeyboard(false);
              setScreen({ kind: 'guides', categoryId: null });
            }}
          >
            <Icon name="guide" className="action-icon" />
            办事指南
          </button>
          <button
            type="button"
            className={`action action-elderly${elderly ? ' on' : ''}`}
            data-testid="elderly-toggle"
            aria-pressed={elderly}
            onClick={toggleElderly}
          >
            <Icon name="elderly" className="action-icon" />
            <span className="action-label">
              长者模式
              {elderly && (
                // two pieces that never break inside: one line, or two balanced ones
                <small>
                  <span>已开启</span> <span>点此关闭</span>
                </small>
              )}
            </span>
          </button>
        </nav>
      )}
      {view.hall.notice && !keyboard && (
        <footer className="notice-line" data-testid="hall-notice">
          {view.hall.notice}
        </footer>
      )}
      {sheet && sheetService && (
        <ConfirmSheet
          sheet={sheet}
          service={sheetService}
          info={info(sheetService)}
          card={card}
          blocked={sheet.phase === 'issuing' ? null : blocked}
          onConfirm={() => void confirm()}
          onCancel={() => setSheet(null)}
        />
      )}
      {toast && (
        <div className="toast" role="alert" data-testid="toast">
          {toast}
        </div>
      )}
      <IdleWatcher seconds={idleSeconds} active={!pristine} onExpire={reset} />
    </div>
  );
}
