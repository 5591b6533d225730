/**
 * Server-rendered pages that need no token: the landing page and a ticket's public status page (/t/{key},
 * the address its QR code holds). Nothing personal is ever shown.
 */
import type { TicketStatus } from '@yimen/shared';
import type { FastifyInstance } from 'fastify';
import type { HallService } from '../app/hall-service.js';

/** How often a live status page reloads itself, seconds. */
const REFRESH_SECONDS = 5;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_LABEL: Record<TicketStatus, string> = {
  waiting: '等候中',
  called: '请前往窗口',
  serving: '办理中',
  done: '已办结',
  no_show: '已过号',
  cancelled: '已取消',
};

function page(title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}
<title>${esc(title)}</title>
<style>
body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f3f6fa;color:#1b2733}
main{max-width:520px;margin:0 auto;padding:24px 20px}
h1{font-size:20px;margin:0 0 16px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
.num{font-size:64px;font-weight:700;letter-spacing:2px;color:#b71c1c;margin:8px 0}
.st{font-size:28px;font-weight:700}
.call{font-size:44px;font-weight:700;color:#fff;background:#b71c1c;border-radius:10px;padding:12px;margin:12px 0;text-align:center}
.row{display:flex;justify-content:space-between;padding:8px 0;border-top:1px solid #eef1f5;font-size:18px}
a{color:#0b57d0}
footer{color:#667;font-size:14px;margin-top:16px}
</style></head><body><main>${body}</main></body></html>`;
}

export function registerPages(app: FastifyInstance, service: HallService): void {
  app.get('/', async (_req, reply) => {
    const hall = service.hallInfo();
    return reply.type('text/html; charset=utf-8').send(
      page(
        `${hall.name} · 一门`,
        `<h1>${esc(hall.name)}</h1><div class="card">
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
    const found = /^[A-Za-z0-9_-]{16,64}$/.test(req.params.key) ? service.ticketByStatusKey(req.params.key) : null;
    const hall = service.hallInfo();
    if (!found) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          page(
            '号票不存在',
            `<h1>${esc(hall.name)}</h1><div class="card"><p class="st">未找到该号票</p><p>请核对二维码，或到咨询台询问。</p></div>`,
          ),
        );
    }
    const { ticket: t, serviceName, counterNumber, expired } = found;
    const status = expired ? '已失效（非当日号票）' : STATUS_LABEL[t.status];
    const rows = [
      ['业务', esc(serviceName)],
      ['取号时间', esc(t.issuedAt.slice(0, 16).replace('T', ' '))],
    ];
    if (t.status === 'waiting' && !expired) {
      rows.push(['前面等候', t.peopleAhead === null ? '—' : `${t.peopleAhead} 人`]);
      rows.push(['预计等候', t.estimatedWaitMinutes === null ? '—' : `约 ${t.estimatedWaitMinutes} 分钟`]);
    }
    if ((t.status === 'called' || t.status === 'serving') && counterNumber !== null)
      rows.push(['窗口', `${counterNumber} 号窗口`]);
    const call =
      t.status === 'called' && counterNumber !== null && !expired
        ? `<div class="call" data-testid="ticket-call">请到 ${counterNumber} 号窗口</div>`
        : '';
    const live = !expired && (t.status === 'waiting' || t.status === 'called' || t.status === 'serving');
    return reply.type('text/html; charset=utf-8').send(
      page(
        `${t.number} · ${status}`,
        `<h1>${esc(hall.name)}</h1><div class="card">
<div class="num" data-testid="ticket-number">${esc(t.number)}</div>
<div class="st" data-testid="ticket-status">${esc(status)}</div>
${call}
${rows.map(([k, v]) => `<div class="row"><span>${k}</span><span>${v}</span></div>`).join('')}
</div><footer>${live ? `本页每 ${REFRESH_SECONDS} 秒自动刷新。` : ''}${esc(hall.ticketFooter)}</footer>`,
        live ? REFRESH_SECONDS : undefined,
      ),
    );
  });
}
