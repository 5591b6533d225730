/**
 * Server-rendered pages that need no token: the landing page and a ticket's public status page (/t/{key},
 * the address its QR code holds), kept live by a server-sent-events stream (/t/{key}/events). Nothing
 * personal is ever shown or sent: the key is the only credential, and it reveals only the ticket's number,
 * service, status, place in the queue and counter.
 */
import type { ServerResponse } from 'node:http';
import type { FactMessage, TicketStatus } from '@yimen/shared';
import { apiError } from '@yimen/shared';
import type { FastifyInstance } from 'fastify';
import type { HallService } from '../app/hall-service.js';

/** Without JavaScript, a live status page reloads itself this often, seconds. */
const REFRESH_SECONDS = 5;
/** A comment line on every open stream this often, so proxies and phones keep the connection. */
const HEARTBEAT_MS = 25_000;
/** Facts are coalesced: the views are recomputed at most once per this interval… */
const MIN_FLUSH_GAP_MS = 300;
/** …and a burst of facts (a call is several) is waited for this long before the first recomputation… */
const COALESCE_MS = 60;
/** …and the gap is at least this many times what the last recomputation cost (busy: fewer, larger ones). */
const FLUSH_COST_FACTOR = 5;
/** Streams recomputed in one go before the event loop gets a turn. */
const FLUSH_CHUNK = 200;
/** How long a browser waits before reconnecting a dropped stream, ms (the SSE `retry` field). */
const RETRY_MS = 3_000;
/** Per client address and per ticket: a family shares a ticket on a few phones; a hall's guest Wi-Fi is one NAT. */
const MAX_STREAMS_PER_ADDRESS = 200;
const MAX_STREAMS_PER_TICKET = 10;
/** Open status streams per server; beyond, 503 UNAVAILABLE. */
const DEFAULT_MAX_STREAMS = 2_000;

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_LABEL: Record<TicketStatus, string> = {
  waiting: '等候中',
  called: '请前往窗口',
  serving: '办理中',
  done: '已办结',
  no_show: '已过号',
  cancelled: '已取消',
};

const STATUS_HINT: Record<TicketStatus, string> = {
  waiting: '请在大厅留意叫号，叫到您时本页会提示。',
  called: '请尽快前往窗口办理。',
  serving: '正在为您办理。',
  done: '业务已办结，感谢您的耐心等候。',
  no_show: '您的号码已过号。如需办理，请到咨询台申请重新排队。',
  cancelled: '该号票已取消。',
};

/** A finished ticket's page no longer changes: its stream ends. */
const FINAL: ReadonlySet<TicketStatus> = new Set(['done', 'no_show', 'cancelled']);

/**
 * What the status page shows, and what its stream sends: the ticket's number and service, its status
 * (and its zh-CN label and hint), its place and estimated wait while it waits, the counter's number while
 * it is called or served. No id, no key, no priority, no clerk, nothing of the person.
 */
export interface StatusView {
  number: string;
  service: string;
  status: TicketStatus;
  /** A ticket of an earlier business day that was never finished: it will never be called. */
  expired: boolean;
  /** The page no longer changes (finished, or expired): the stream ends after this view. */
  final: boolean;
  label: string;
  hint: string;
  /** While waiting only. */
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
  /** While called or served only. */
  counterNumber: number | null;
  /** 'YYYY-MM-DD HH:mm', Shanghai time. */
  issuedAt: string;
}

function statusView(found: NonNullable<ReturnType<HallService['ticketByStatusKey']>>): StatusView {
  const { ticket: t, serviceName, counterNumber, expired } = found;
  const waiting = t.status === 'waiting' && !expired;
  const atCounter = (t.status === 'called' || t.status === 'serving') && !expired;
  return {
    number: t.number,
    service: serviceName,
    status: t.status,
    expired,
    final: expired || FINAL.has(t.status),
    label: expired ? '已失效' : STATUS_LABEL[t.status],
    hint: expired ? '号票仅在取号当日有效，请重新取号。' : STATUS_HINT[t.status],
    peopleAhead: waiting ? t.peopleAhead : null,
    estimatedWaitMinutes: waiting ? t.estimatedWaitMinutes : null,
    counterNumber: atCounter ? counterNumber : null,
    issuedAt: t.issuedAt.slice(0, 16).replace('T', ' '),
  };
}

// The few formatting rules, twice: here for the first render (and for browsers without JavaScript), and
// in CLIENT below for the updates. Keep them alike.
// The tiles' values hold only numbers and fixed words, so they are built as HTML (the number larger).
const aheadHtml = (v: StatusView) => (v.peopleAhead === null ? '—' : `<b>${v.peopleAhead}</b> 人`);
const waitHtml = (v: StatusView) =>
  v.estimatedWaitMinutes === null
    ? '—'
    : v.estimatedWaitMinutes === 0
      ? '<b class="s">即将叫号</b>'
      : `约 <b>${v.estimatedWaitMinutes}</b> 分钟`;
const calledAt = (v: StatusView) => (v.status === 'called' && v.counterNumber !== null ? v.counterNumber : null);
const titleOf = (v: StatusView) => {
  const n = calledAt(v);
  return n === null ? `${v.number} · ${v.label}` : `请到 ${n} 号窗口 · ${v.number}`;
};

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:"PingFang SC","Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:0;background:#eef2f7;color:#1b2733;line-height:1.45}
header{background:#17406d;color:#fff;padding:14px 20px calc(14px + 28px)}
header h1{font-size:18px;font-weight:600;margin:0 auto;max-width:520px;letter-spacing:1px}
main{max-width:520px;margin:-28px auto 0;padding:0 14px 24px}
.card{background:#fff;border-radius:16px;padding:20px;box-shadow:0 2px 10px rgba(16,38,66,.10)}
.lbl{font-size:14px;color:#5b6877;margin:0}
.num{font-size:72px;line-height:1.05;font-weight:800;letter-spacing:3px;color:#b71c1c;margin:2px 0 4px;font-variant-numeric:tabular-nums}
.svc{font-size:20px;font-weight:600;margin:0 0 12px}
.st{display:inline-block;font-size:20px;font-weight:700;padding:4px 14px;border-radius:999px;background:#e3ecf8;color:#17406d}
[data-status=called] .st{background:#b71c1c;color:#fff}
[data-status=serving] .st{background:#e2f3e6;color:#1b6b33}
[data-status=done] .st,[data-status=cancelled] .st,[data-status=expired] .st{background:#eceff3;color:#5b6877}
[data-status=no_show] .st{background:#fff1dc;color:#8a4b00}
.call{margin:0 0 18px;padding:18px 12px 20px;border-radius:14px;background:#b71c1c;color:#fff;text-align:center;font-size:34px;font-weight:800;line-height:1.2;box-shadow:0 4px 14px rgba(183,28,28,.35)}
.call b{display:block;font-size:96px;line-height:1;margin:6px 0 4px;font-variant-numeric:tabular-nums}
.call.flash{animation:flash .9s ease-in-out 3}
@keyframes flash{50%{transform:scale(1.03);box-shadow:0 0 0 10px rgba(183,28,28,.18)}}
@media (prefers-reduced-motion:reduce){.call.flash{animation:none}}
.stats{display:flex;gap:10px;margin:16px 0 4px}
.tile{flex:1 1 0;min-width:0;background:#f4f7fb;border-radius:12px;padding:12px}
.tile+.tile{flex-grow:1.35}
.tile .v{display:block;font-size:16px;font-weight:700;color:#17406d;margin-top:2px;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
.tile .v b{font-size:clamp(28px,9vw,36px);font-weight:800;line-height:1.15}
.tile .v b.s{font-size:24px;line-height:1.72}
.hint{font-size:16px;color:#34404d;margin:14px 0 6px}
.row{display:flex;justify-content:space-between;padding:10px 0;border-top:1px solid #eef1f5;font-size:17px}
.row span:first-child{color:#5b6877}
.row span:last-child{font-weight:600}
a{color:#0b57d0}
footer{color:#5b6877;font-size:14px;margin:14px 6px 0}
.conn{margin:0 0 6px;font-size:14px;color:#5b6877}
.conn::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#2e9d4f;margin-right:6px;vertical-align:1px}
.conn[data-state=lost]{color:#8a4b00}
.conn[data-state=lost]::before{background:#e0a100}
.conn[data-state=end]::before{background:#9aa5b1}
[hidden]{display:none!important}
`;

function page(title: string, hallName: string, body: string, opts: { refresh?: boolean; script?: string } = {}): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#17406d">
${opts.refresh ? `<noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS}"></noscript>` : ''}
<title>${esc(title)}</title>
<style>${STYLE}</style></head><body><header><h1>${esc(hallName)}</h1></header><main>${body}</main>${
    opts.script ? `<script>${opts.script}</script>` : ''
  }</body></html>`;
}

/**
 * The page's script: follows /t/{key}/events and updates the page in place (no reload). Plain ES5, inline,
 * for old phone browsers. Without EventSource it falls back to reloading.
 */
const CLIENT = `(function(){
var d=document,$=function(i){return d.getElementById(i);};
var root=$('ticket'),conn=$('conn'),prev=root.getAttribute('data-status');
var url=location.pathname.replace(/\\/+$/,'')+'/events';
if(!window.EventSource||!window.JSON){setTimeout(function(){location.reload();},${REFRESH_SECONDS * 1000});return;}
function txt(id,s){var e=$(id);if(e&&e.textContent!==s)e.textContent=s;}
function num(x){return x===null?null:Math.round(+x);}
function htm(id,s){var e=$(id);if(e&&e.innerHTML!==s)e.innerHTML=s;}
function show(id,on){var e=$(id);if(e)e.hidden=!on;}
function setConn(s){conn.setAttribute('data-state',s);conn.hidden=false;
conn.textContent=s==='live'?'实时更新中':s==='end'?'本号票已结束，页面不再更新':'连接中断，正在重连…';}
function render(v){
var st=v.expired?'expired':v.status,n=v.status==='called'&&v.counterNumber!==null?v.counterNumber:null;
txt('num',v.number);txt('svc',v.service);txt('st',v.label);txt('hint',v.hint);txt('issued',v.issuedAt);
var a=num(v.peopleAhead),w=num(v.estimatedWaitMinutes);
htm('ahead',a===null?'\\u2014':'<b>'+a+'</b> 人');
htm('wait',w===null?'\\u2014':w===0?'<b class="s">即将叫号</b>':'约 <b>'+w+'</b> 分钟');
show('stats',v.status==='waiting'&&!v.expired);
show('row-counter',v.counterNumber!==null);txt('counter',v.counterNumber===null?'':v.counterNumber+' 号窗口');
show('call',n!==null);txt('call-n',n===null?'':String(n));
root.setAttribute('data-status',st);
d.title=n===null?v.number+' · '+v.label:'请到 '+n+' 号窗口 · '+v.number;
if(n!==null&&prev!=='called'){var c=$('call');c.classList.remove('flash');void c.offsetWidth;c.classList.add('flash');
try{if(navigator.vibrate)navigator.vibrate([400,200,400]);}catch(e){}}
prev=st;}
var es=null,done=false,wait=2000,timer=null;
function connect(){timer=null;if(es)es.close();es=new EventSource(url);
es.onopen=function(){wait=2000;setConn('live');};
es.onmessage=function(e){var v;try{v=JSON.parse(e.data);}catch(x){return;}
render(v);if(v.final){done=true;es.close();setConn('end');}else setConn('live');};
es.onerror=function(){if(done)return;setConn('lost');
if(es.readyState===2&&!timer){timer=setTimeout(connect,wait);wait=Math.min(wait*2,30000);}};}
d.addEventListener('visibilitychange',function(){
if(d.visibilityState==='visible'&&!done&&es&&es.readyState===2){clearTimeout(timer);connect();}});
connect();
})();`;

function statusPageHtml(v: StatusView, hall: { name: string; ticketFooter: string }): string {
  const n = calledAt(v);
  const live = !v.final;
  const body = `<div class="card" id="ticket" data-status="${v.expired ? 'expired' : v.status}" aria-live="polite">
<div class="call${n === null ? '' : ' flash'}" id="call" data-testid="ticket-call" role="alert"${n === null ? ' hidden' : ''}>请到 <b id="call-n">${n ?? ''}</b> 号窗口</div>
<p class="lbl">您的号码</p>
<div class="num" id="num" data-testid="ticket-number">${esc(v.number)}</div>
<p class="svc" id="svc" data-testid="ticket-service">${esc(v.service)}</p>
<div class="st" id="st" data-testid="ticket-status">${esc(v.label)}</div>
<div class="stats" id="stats"${v.status === 'waiting' && !v.expired ? '' : ' hidden'}>
<div class="tile"><span class="lbl">前面还有</span><span class="v" id="ahead" data-testid="ticket-ahead">${aheadHtml(v)}</span></div>
<div class="tile"><span class="lbl">预计等候</span><span class="v" id="wait" data-testid="ticket-wait">${waitHtml(v)}</span></div>
</div>
<p class="hint" id="hint">${esc(v.hint)}</p>
<div class="row" id="row-counter"${v.counterNumber === null ? ' hidden' : ''}><span>窗口</span><span id="counter">${
    v.counterNumber === null ? '' : `${v.counterNumber} 号窗口`
  }</span></div>
<div class="row"><span>取号时间</span><span id="issued">${esc(v.issuedAt)}</span></div>
</div>
<footer>${
    live
      ? `<p class="conn" id="conn" data-testid="ticket-conn" hidden></p><noscript><p>本页每 ${REFRESH_SECONDS} 秒自动刷新。</p></noscript>`
      : ''
  }<p>${esc(hall.ticketFooter)}</p></footer>`;
  return page(titleOf(v), hall.name, body, live ? { refresh: true, script: CLIENT } : {});
}

interface Stream {
  /** The ticket's id: its view is recomputed from the hall's state by id, and the facts name it (never sent). */
  ticketId: string;
  /** The client's address: one phone (or one abuser) holds a few streams, not the server's whole allowance. */
  address: string;
  res: ServerResponse;
  /** The JSON last sent ('' before the first). */
  last: string;
  /** The status last sent: a waiting ticket moves with every queue change, a called one only with its own. */
  lastStatus: TicketStatus | 'expired' | null;
  dirty: boolean;
}

export interface PagesOptions {
  /** Open status streams per server (default 2000); beyond, 503 UNAVAILABLE. */
  maxStatusStreams?: number;
  /** How often every open stream gets a comment line, ms (default 25 s). */
  heartbeatMs?: number;
}

type Found = NonNullable<ReturnType<HallService['ticketByStatusKey']>>;
const LIVE: ReadonlySet<TicketStatus> = new Set(['waiting', 'called', 'serving']);

export function registerPages(app: FastifyInstance, service: HallService, opts: PagesOptions = {}): void {
  const maxStreams = opts.maxStatusStreams ?? DEFAULT_MAX_STREAMS;
  const streams = new Set<Stream>();
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing = false;
  let lastFlush = 0;
  /** What the last recomputation cost, ms: the next waits at least a few times as long (at most ~20 % CPU). */
  let lastCost = 0;

  const lookup = (key: string) => (KEY.test(key) ? service.ticketByStatusKey(key) : null);
  /**
   * The same as ticketByStatusKey, by the ticket's id: from the in-memory state, without the database
   * lookup of the key (a recomputation of 2000 streams costs half as much).
   */
  const byId = (id: string): Found | null => {
    let ticket: Found['ticket'];
    try {
      ticket = service.getTicket(id);
    } catch {
      return null;
    }
    const counter = ticket.counterId === null ? undefined : service.hall.counters.get(ticket.counterId);
    return {
      ticket,
      serviceName: service.hall.services.get(ticket.serviceId)?.name ?? ticket.serviceId,
      counterNumber: counter?.number ?? null,
      expired: ticket.businessDay !== service.businessDay && LIVE.has(ticket.status),
    };
  };

  const end = (s: Stream) => {
    streams.delete(s);
    if (!s.res.writableEnded) s.res.end();
  };

  /** Sends the stream's view if it changed; ends the stream once the view is final. */
  const refresh = (s: Stream) => {
    s.dirty = false;
    if (s.res.destroyed || s.res.writableEnded) {
      streams.delete(s);
      return;
    }
    const found = byId(s.ticketId);
    if (!found) return end(s); // gone (a database rebuilt): the page's own reload says so
    const view = statusView(found);
    const json = JSON.stringify(view);
    s.lastStatus = view.expired ? 'expired' : view.status;
    if (json !== s.last) {
      s.last = json;
      s.res.write(`data: ${json}\n\n`);
    }
    if (view.final) end(s);
  };

  const schedule = () => {
    if (flushTimer || flushing) return;
    const gap = Math.max(MIN_FLUSH_GAP_MS, FLUSH_COST_FACTOR * lastCost);
    flushTimer = setTimeout(flush, Math.max(COALESCE_MS, lastFlush + gap - Date.now()));
    flushTimer.unref();
  };

  /** Recomputes the dirty streams, FLUSH_CHUNK at a time so the event loop (and the hall's screens) go on. */
  const flush = () => {
    flushTimer = null;
    flushing = true;
    const started = performance.now();
    const batch = [...streams].filter((s) => s.dirty);
    let i = 0;
    const step = () => {
      if (!flushing) return; // closed meanwhile
      for (const stop = Math.min(i + FLUSH_CHUNK, batch.length); i < stop; i++) {
        const s = batch[i] as Stream;
        if (s.dirty && streams.has(s)) refresh(s);
      }
      if (i < batch.length) {
        setImmediate(step);
        return;
      }
      flushing = false;
      lastFlush = Date.now();
      lastCost = performance.now() - started;
      for (const s of streams) if (s.dirty) return schedule();
    };
    step();
  };

  const unsubscribe = service.subscribe((facts: FactMessage[]) => {
    if (streams.size === 0) return;
    let everyone = false;
    let queueMoved = false;
    const touched = new Set<string>();
    for (const f of facts) {
      if (f.type === 'day:changed') everyone = true;
      else if (f.type === 'queue:updated' || f.type.startsWith('counter:')) queueMoved = true;
      else if (f.type.startsWith('ticket:') && 'ticket' in f) {
        touched.add(f.ticket.id);
        queueMoved = true;
      }
    }
    if (!everyone && !queueMoved) return;
    let any = false;
    for (const s of streams) {
      if (everyone || touched.has(s.ticketId) || s.lastStatus === 'waiting') {
        s.dirty = true;
        any = true;
      }
    }
    if (any) schedule();
  });

  const heartbeat = setInterval(() => {
    for (const s of streams) if (!s.res.destroyed && !s.res.writableEnded) s.res.write(': ping\n\n');
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  app.addHook('onClose', async () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (flushTimer) clearTimeout(flushTimer);
    flushing = false;
    for (const s of [...streams]) end(s);
  });

  app.get('/', async (_req, reply) => {
    const hall = service.hallInfo();
    return reply.type('text/html; charset=utf-8').send(
      page(
        `${hall.name} · 一门`,
        hall.name,
        `<div class="card">
<p>一门（Yimen）排队叫号系统的服务器正在运行。大厅的各个屏幕在此打开：</p>
<div class="row"><span>大厅综合屏</span><a href="/hall">/hall</a></div>
<div class="row"><span>窗口屏（N 号窗口）</span><a href="/counter/1">/counter/N</a></div>
<div class="row"><span>窗口工作台</span><a href="/clerk">/clerk</a></div>
<div class="row"><span>评价器（N 号窗口）</span><a href="/pad/1">/pad/N</a></div>
<div class="row"><span>大厅管理</span><a href="/manager">/manager</a></div>
<div class="row"><span>集成接口（OpenAPI 3.1）</span><a href="/api/v1/openapi.json">/api/v1/openapi.json</a></div>
<div class="row"><span>健康检查</span><a href="/api/v1/health">/api/v1/health</a></div>
</div><footer>营业日 ${esc(hall.businessDay)}</footer>`,
      ),
    );
  });

  app.get<{ Params: { key: string } }>('/t/:key', async (req, reply) => {
    const found = lookup(req.params.key);
    const hall = service.hallInfo();
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (!found) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          page(
            '号票不存在',
            hall.name,
            `<div class="card"><p class="svc">未找到该号票</p><p>请核对二维码，或到咨询台询问。</p></div>`,
          ),
        );
    }
    return reply.type('text/html; charset=utf-8').send(statusPageHtml(statusView(found), hall));
  });

  /** The status page's live view: server-sent events, one `data:` JSON view per change; no token. */
  app.get<{ Params: { key: string } }>('/t/:key/events', { exposeHeadRoute: false }, async (req, reply) => {
    const found = lookup(req.params.key);
    if (!found)
      return reply
        .code(404)
        .type('application/json; charset=utf-8')
        .send({ error: apiError('NOT_FOUND', '该号票不存在。') });
    const address = req.ip;
    let mine = 0;
    let sameTicket = 0;
    for (const x of streams) {
      if (x.address === address) mine++;
      if (x.ticketId === found.ticket.id) sameTicket++;
    }
    if (streams.size >= maxStreams || mine >= MAX_STREAMS_PER_ADDRESS || sameTicket >= MAX_STREAMS_PER_TICKET)
      return reply
        .code(503)
        .header('retry-after', '30')
        .type('application/json; charset=utf-8')
        .send({ error: apiError('UNAVAILABLE', '同时查看号票状态的人数过多，请稍后再试。') });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'referrer-policy': 'no-referrer',
    });
    res.socket?.setNoDelay(true);
    res.write(`retry: ${RETRY_MS}\n\n`);
    const s: Stream = { ticketId: found.ticket.id, address, res, last: '', lastStatus: null, dirty: true };
    streams.add(s);
    res.on('close', () => streams.delete(s));
    res.on('error', () => streams.delete(s));
    // The first view once everything so far is committed (as the API answers); a fact published meanwhile
    // marks the stream dirty again, and the view is sent only when it differs.
    try {
      await service.durable();
    } catch {
      // the commit failed and the state was rebuilt: the view below is the rebuilt one
    }
    if (streams.has(s)) refresh(s);
  });
}
