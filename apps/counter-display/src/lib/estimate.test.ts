import { describe, expect, it } from 'vitest';
import { formatEstimate } from './estimate.js';

describe('formatEstimate', () => {
  it('says an estimate the same way at every size', () => {
    expect(formatEstimate(null)).toBe('—');
    expect(formatEstimate(0)).toBe('即将办理');
    expect(formatEstimate(18)).toBe('约 18 分钟');
    expect(formatEstimate(60)).toBe('约 1 小时');
    expect(formatEstimate(75)).toBe('约 1 小时 15 分钟');
    expect(formatEstimate(113)).toBe('约 1 小时 53 分钟');
  });
});
