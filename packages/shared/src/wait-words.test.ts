import { describe, expect, it } from 'vitest';
import { isNoWait, waitMinutesText } from './wait-words.js';

describe('how a wait is said', () => {
  it('in minutes under an hour, in hours and minutes above, never "about 0 minutes"', () => {
    expect(waitMinutesText(0)).toBe('约 1 分钟');
    expect(waitMinutesText(0.4)).toBe('约 1 分钟');
    expect(waitMinutesText(18)).toBe('约 18 分钟');
    expect(waitMinutesText(59.6)).toBe('约 1 小时');
    expect(waitMinutesText(75)).toBe('约 1 小时 15 分钟');
    expect(waitMinutesText(185)).toBe('约 3 小时 5 分钟');
  });

  it('"no wait" only when nobody is ahead and the estimate is 0', () => {
    expect(isNoWait(0, 0)).toBe(true);
    expect(isNoWait(0, 8)).toBe(false); // every window busy
    expect(isNoWait(1, 0)).toBe(false);
    expect(isNoWait(0, null)).toBe(false);
    expect(isNoWait(null, 0)).toBe(false);
  });
});
