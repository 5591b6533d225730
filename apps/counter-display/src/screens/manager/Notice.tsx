/** The hall screen's scrolling notice line: shown live, edited here, saved with PUT /hall/notice. */
import { type FormEvent, useState } from 'react';
import { ApiFailure, api } from '../../lib/api.js';

export const NOTICE_MAX = 300;

export function NoticeEditor({ token, notice, live }: { token: string; notice: string; live: boolean }) {
  /** null: not editing, the field shows the live notice. */
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const value = draft ?? notice;
  const changed = draft !== null && draft.trim() !== notice;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (draft === null) return;
    setBusy(true);
    setMessage(null);
    try {
      // One line: the notice refuses control characters, line breaks included.
      const r = await api<{ notice: string }>('PUT', '/hall/notice', token, { notice: draft.replace(/\s+/g, ' ').trim() });
      setDraft(null);
      setMessage({ ok: true, text: r.notice ? '已保存，大厅屏幕即时更新。' : '已清空公告。' });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiFailure ? err.message : '保存失败，请重试。' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="mgr-panel" data-testid="notice">
      <header className="mgr-panel-head">
        <h2>大厅屏幕公告</h2>
        <span className="mgr-muted">
          {value.length}/{NOTICE_MAX}
        </span>
      </header>
      <p className="mgr-notice-current" data-testid="notice-current">
        当前：{notice || <span className="mgr-muted">（无公告）</span>}
      </p>
      <form className="mgr-notice-form" onSubmit={save}>
        <input
          className="mgr-notice-input"
          data-testid="notice-input"
          aria-label="公告内容"
          maxLength={NOTICE_MAX}
          value={value}
          onChange={(e) => {
            setDraft(e.target.value);
            setMessage(null);
          }}
        />
        <div className="mgr-actions">
          <button
            type="submit"
            className="mgr-btn mgr-btn-primary"
            data-testid="notice-save"
            disabled={busy || !changed || !live}
          >
            保存
          </button>
          <button type="button" className="mgr-btn" disabled={busy || draft === null} onClick={() => setDraft(null)}>
            放弃修改
          </button>
        </div>
      </form>
      {message && (
        <p className={message.ok ? 'mgr-ok' : 'mgr-error'} role="status" data-testid="notice-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
