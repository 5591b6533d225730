/** 60 s without a touch (or ?idleSeconds=N): back to the home screen; a countdown in the last 10 s. */
import { useEffect, useState } from 'react';
import { idlePhase } from './idle.js';

export function IdleWatcher({ seconds, active, onExpire }: { seconds: number; active: boolean; onExpire: () => void }) {
  const [lastTouch, setLastTouch] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const touch = () => {
      const t = Date.now();
      setLastTouch(t);
      setNow(t);
    };
    window.addEventListener('pointerdown', touch, true);
    window.addEventListener('keydown', touch, true);
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => {
      window.removeEventListener('pointerdown', touch, true);
      window.removeEventListener('keydown', touch, true);
      clearInterval(timer);
    };
  }, []);
  // Becoming active (the citizen started something) starts the clock afresh.
  useEffect(() => {
    if (active) setLastTouch(Date.now());
  }, [active]);
  const phase = idlePhase(lastTouch, now, seconds);
  useEffect(() => {
    if (active && phase.expired) {
      setLastTouch(Date.now());
      onExpire();
    }
  }, [active, phase.expired, onExpire]);
  if (!active || !phase.warn) return null;
  return (
    <div className="idle" data-testid="idle-countdown" role="status">
      <div className="idle-box">
        <div className="idle-seconds">{phase.remaining}</div>
        <div className="idle-text">{phase.remaining} 秒后返回首页</div>
        <button type="button" className="btn btn-big btn-primary" data-testid="idle-stay">
          继续使用
        </button>
      </div>
    </div>
  );
}
