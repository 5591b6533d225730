/**
 * An estimated wait as the hall's screens say it, the one place for it: "即将办理", "约 18 分钟",
 * "约 1 小时", "约 1 小时 15 分钟" (a space between the figures and the words, as everywhere on the screens).
 */
export function formatEstimate(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 1) return '即将办理';
  const total = Math.round(minutes);
  if (total < 60) return `约 ${total} 分钟`;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? `约 ${h} 小时` : `约 ${h} 小时 ${m} 分钟`;
}
