import { waitMinutesText } from '@yimen/shared';

/**
 * An estimated wait as the hall's screens say it, the one place for it: "即将办理", "约 18 分钟",
 * "约 1 小时", "约 1 小时 15 分钟" (a space between the figures and the words, as everywhere on the screens).
 */
export function formatEstimate(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 1) return '即将办理';
  return waitMinutesText(minutes); // as the kiosk and the printed ticket say it
}
