/** A person's screen without a session: username and password; the token is kept for this screen. */
import type { LoginResponse } from '@yimen/shared';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { ApiFailure, api } from './api.js';

export function LoginScreen({ title, onToken }: { title: string; onToken: (token: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<z.infer<typeof LoginResponse>>('POST', '/auth/login', null, { username, password });
      onToken(r.token);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : '登录失败，请重试。');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={submit} data-testid="login">
      <h1>{title}</h1>
      <label>
        用户名
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        密码
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !username || !password}>
        登录
      </button>
    </form>
  );
}
