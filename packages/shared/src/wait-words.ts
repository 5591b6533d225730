/**
 * How a wait is said, the same on the kiosk, the printed ticket and the hall's screens (zh-CN): from W2's
 * people ahead and W4's estimate in whole minutes.
 */

/** "约 1 分钟" (also for an estimate under a minute), "约 18 分钟", "约 1 小时", "约 1 小时 15 分钟". */
export function waitMinutesText(minutes: number): string {
  const total = Math.max(1, Math.round(minutes));
  if (total < 60) return `约 ${total} 分钟`;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? `约 ${h} 小时` : `约 ${h} 小时 ${m} 分钟`;
}

/**
 * "No wait" is said only when nobody is ahead and a window is free (the estimate is 0): with nobody ahead
 * but every window busy, or none open yet, the wait is real and its minutes are said.
 */
export function isNoWait(peopleAhead: number | null, minutes: number | null): boolean {
  return peopleAhead === 0 && minutes === 0;
}
