/** 办事指南: browse by category or search; a guide shows every element of GB/T 39046 and offers 取号. */
import { GUIDE_ITEM_TYPE_LABELS, MATERIAL_FORM_LABELS, type Service, type ServiceGuide } from '@yimen/shared';
import { useRef } from 'react';
import type { CategoryView, GuideMap } from './catalog.js';
import { BackButton, Paged } from './ui.js';

export function GuidesScreen(props: {
  categories: readonly CategoryView[];
  categoryId: string | null;
  /** Services with a guide that match the search (all of them when the search is empty). */
  services: readonly Service[];
  searching: boolean;
  guides: GuideMap;
  pageSize: number;
  onCategory: (id: string | null) => void;
  onOpen: (s: Service) => void;
  onBack: () => void;
  searchBox: React.ReactNode;
}) {
  const { categories, categoryId, services, searching, guides, pageSize, onCategory, onOpen, onBack, searchBox } = props;
  const withGuides = categories.filter((c) => c.services.some((s) => guides[s.id]));
  const shown = searching
    ? services
    : services.filter((s) => categoryId === null || withGuides.find((c) => c.id === categoryId)?.services.includes(s));
  return (
    <section className="screen guides-screen" data-testid="guides-view">
      <div className="title-row">
        <BackButton onClick={onBack} />
        <h2>办事指南</h2>
      </div>
      {searchBox}
      {!searching && (
        <div className="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={categoryId === null}
            className={`tab${categoryId === null ? ' on' : ''}`}
            onClick={() => onCategory(null)}
          >
            全部
          </button>
          {withGuides.map((c) => (
            <button
              type="button"
              role="tab"
              key={c.id}
              aria-selected={categoryId === c.id}
              className={`tab${categoryId === c.id ? ' on' : ''}`}
              data-testid={`guide-category-${c.name}`}
              onClick={() => onCategory(c.id)}
            >
              {c.name}
            </button>
          ))}
        </div>
      )}
      <Paged
        key={`${categoryId}|${searching}`}
        items={shown}
        pageSize={pageSize}
        className="grid guide-grid"
        keyOf={(s) => s.id}
        testid="guide-list"
        empty={searching ? '没有找到相关的办事指南' : '暂无办事指南'}
        render={(s) => {
          const g = guides[s.id];
          return (
            <button type="button" className="tile guide-tile" data-testid={`guide-${s.id}`} onClick={() => onOpen(s)}>
              <span className="tile-name">{s.name}</span>
              <span className="tile-dept">{s.department}</span>
              {g && (
                <span className="tile-meta">
                  {GUIDE_ITEM_TYPE_LABELS[g.itemType]} ·{' '}
                  {g.itemType === 'immediate' ? '当场办结' : `承诺 ${g.promisedDays} 个工作日`}
                </span>
              )}
            </button>
          );
        }}
      />
    </section>
  );
}

function days(n: number | null, none: string): string {
  if (n === null) return none;
  if (n === 0) return '即时办结';
  return `${n} 个工作日`;
}

export function GuidePage(props: {
  service: Service;
  guide: ServiceGuide;
  canTake: string | null;
  onTake: () => void;
  onBack: () => void;
}) {
  const { service, guide, canTake, onTake, onBack } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const room = useRef<HTMLDivElement>(null);
  const scroll = (dir: 1 | -1) => {
    const el = scroller.current;
    const end = room.current;
    if (!el || !end) return;
    const to = pageStop(el, dir);
    // the last page starts at a heading too: room after the end when the guide is not a whole number of pages
    const max = el.scrollHeight - end.offsetHeight - el.clientHeight;
    if (to > max) end.style.height = `${to - max}px`;
    el.scrollTo({ top: to, behavior: 'smooth' });
  };
  return (
    <section className="screen guide-page" data-testid="guide-view">
      <div className="title-row">
        <BackButton onClick={onBack} />
        <h2 data-testid="guide-title">{service.name}</h2>
      </div>
      <div className="guide-chips">
        <span className={`chip ${guide.itemType}`} data-testid="guide-item-type">
          {GUIDE_ITEM_TYPE_LABELS[guide.itemType]}
        </span>
        <span className="chip">{service.department}</span>
        <span className="chip">承诺时限：{days(guide.promisedDays, '—')}</span>
      </div>
      <div className="guide-body" ref={scroller} data-testid="guide-body">
        <GuideSection title="受理条件">
          <ul>
            {guide.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </GuideSection>
        <GuideSection title="申请材料">
          {guide.materials.length === 0 ? (
            <p>无需提交材料。</p>
          ) : (
            <table className="materials" data-testid="materials">
              <thead>
                <tr>
                  <th>材料名称</th>
                  <th>原件/复印件</th>
                  <th>纸质/电子</th>
                  <th>是否必要</th>
                  <th>备注</th>
                </tr>
              </thead>
              <tbody>
                {guide.materials.map((m) => (
                  <tr key={m.name}>
                    <td className="m-name">{m.name}</td>
                    <td className="m-count">
                      {m.originals > 0 ? `原件 ${m.originals} 份` : ''}
                      {m.originals > 0 && m.copies > 0 ? <br /> : null}
                      {m.copies > 0 ? `复印件 ${m.copies} 份` : ''}
                      {m.originals === 0 && m.copies === 0 ? '—' : ''}
                    </td>
                    <td className="m-form">{MATERIAL_FORM_LABELS[m.form]}</td>
                    <td className={m.required ? 'req' : 'opt'}>{m.required ? '必要' : '非必要'}</td>
                    <td className="m-note">{m.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </GuideSection>
        <GuideSection title="办理流程">
          <ol className="steps">
            {guide.steps.map((s, i) => (
              <li key={s}>
                <span className="step-no">{i + 1}</span>
                <span>{s}</span>
              </li>
            ))}
          </ol>
        </GuideSection>
        <GuideSection title="办理时限">
          <dl className="facts">
            <dt>法定时限</dt>
            <dd data-testid="legal-days">{days(guide.legalDays, '法律法规未规定')}</dd>
            <dt>承诺时限</dt>
            <dd data-testid="promised-days">{days(guide.promisedDays, '—')}</dd>
            <dt>办件类型</dt>
            <dd>{GUIDE_ITEM_TYPE_LABELS[guide.itemType]}</dd>
          </dl>
        </GuideSection>
        <GuideSection title="收费标准">
          <p>{guide.fee}</p>
        </GuideSection>
        <GuideSection title="办理地点与时间">
          <dl className="facts">
            <dt>办理地点</dt>
            <dd>{guide.location}</dd>
            <dt>办理时间</dt>
            <dd>{guide.hours}</dd>
            <dt>咨询电话</dt>
            <dd data-testid="guide-phone">{guide.phone}</dd>
          </dl>
        </GuideSection>
        <GuideSection title="设定依据">
          {guide.basis.length === 0 ? (
            <p>—</p>
          ) : (
            <ul>
              {guide.basis.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          )}
        </GuideSection>
        <div ref={room} aria-hidden="true" />
      </div>
      <div className="guide-actions">
        <button type="button" className="btn" data-testid="guide-prev" onClick={() => scroll(-1)}>
          上一页
        </button>
        <button type="button" className="btn" data-testid="guide-next" onClick={() => scroll(1)}>
          下一页
        </button>
        <button
          type="button"
          className="btn btn-primary guide-take"
          data-testid="guide-take"
          disabled={canTake !== null}
          onClick={onTake}
        >
          {canTake ?? '取号办理'}
        </button>
      </div>
    </section>
  );
}

/**
 * Where 上一页 / 下一页 scroll the guide to: a page starts at a section's heading (or at a table row or list
 * item inside a section too long for one page), never with a heading cut in half.
 *  - next: the first stop not wholly seen on this page begins the next one (it may lie past the end of the
 *    scroll: the caller makes room); none: a plain page down, or nowhere at the end.
 *  - previous: the earliest stop at most one page above, so that this page's first stop ends the previous one.
 */
export function pageStop(el: HTMLElement, dir: 1 | -1): number {
  const top = el.scrollTop;
  const height = el.clientHeight;
  const origin = el.getBoundingClientRect().top + el.clientTop - top;
  const stops = Array.from(el.querySelectorAll<HTMLElement>('.guide-section, .guide-section tr, .guide-section li'))
    .map((n) => {
      // a section begins at its heading: the padding above it need not be shown
      const h = n.classList.contains('guide-section') ? n.querySelector('h3') : null;
      return {
        top: Math.max(0, Math.floor((h ?? n).getBoundingClientRect().top - origin - 8)),
        bottom: n.getBoundingClientRect().bottom - origin,
      };
    })
    .filter((s) => s.top > 0);
  if (dir === 1) {
    // (a long section whose heading is near the top goes on at its first row or item that does not fit)
    const cut = stops.find((s) => s.top > top + height * 0.2 && s.bottom > top + height + 1);
    if (cut) return Math.min(cut.top, top + height);
    const end = Math.max(0, ...stops.map((s) => s.bottom));
    return end > top + height + 1 ? top + Math.round(height * 0.85) : top;
  }
  const back = stops.find((s) => s.top >= top - height && s.top < top - 1);
  return Math.max(0, back ? back.top : top - Math.round(height * 0.85));
}

function GuideSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="guide-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}
