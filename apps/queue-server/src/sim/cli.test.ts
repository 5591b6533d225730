import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { POLICIES } from '../domain/routing.js';
import { main as simulate } from './cli.js';
import { main as whatif } from './whatif-cli.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));
const BANK = `${PLANS}bank-1999-02-02.yaml`;
const TINY = `${PLANS}tiny-day.yaml`;

let out: MockInstance;
let err: MockInstance;
beforeEach(() => {
  out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});
const printed = (spy: MockInstance) => spy.mock.calls.map((c) => String(c[0])).join('\n');

describe('the simulator CLIs: shared options (cli-args.ts)', () => {
  for (const [name, main, usage] of [
    ['cli.ts', simulate, /^usage: .*cli\.ts --plan <file>/m],
    ['whatif-cli.ts', whatif, /^usage: .*whatif-cli\.ts --plan <file>/m],
  ] as const) {
    it(`${name}: the same checks and messages`, () => {
      expect(main(['-h'])).toBe(0);
      expect(printed(out)).toMatch(usage);
      expect(main([])).toBe(2);
      expect(main(['--plan', TINY, '--bogus'])).toBe(2);
      expect(main(['--plan', TINY, '--seed', '1.5'])).toBe(2);
      expect(main(['--plan', TINY, '--policy', 'nope'])).toBe(2);
      expect(main(['--plan', `${PLANS}missing.yaml`])).toBe(1);
      const lines = printed(err).split('\n');
      expect(lines[0]).toBe('--plan is required');
      expect(lines[1]).toMatch(usage);
      expect(lines[2]).toBe("Unknown option '--bogus'");
      expect(lines).toContain('--seed must be a whole number ≥ 0, not 1.5');
      expect(lines).toContain('--policy must be one of effective-time, service-order, strict-priority, fifo, not nope');
      expect(lines.some((l) => l.startsWith(`day plan ${PLANS}missing.yaml is not valid:`))).toBe(true);
    });
  }

  it('cli.ts: its own options are checked before the plan is loaded', () => {
    expect(simulate(['--plan', TINY, '--compare', '--predictors'])).toBe(2);
    expect(simulate(['--plan', TINY, '--predictors', '--late', '0'])).toBe(2);
    expect(simulate(['--plan', TINY, '--stretch', '0'])).toBe(2);
    expect(simulate(['--plan', TINY, '--stretch', 'Infinity'])).toBe(2);
    expect(simulate(['--plan', TINY, '--stretch', 'x'])).toBe(2);
    expect(printed(err).split('\n')).toEqual([
      '--policy, --compare and --predictors exclude each other',
      expect.stringMatching(/^usage: /),
      '--late must be a number of minutes > 0, not 0',
      '--stretch must be a finite number > 0, not 0',
      '--stretch must be a finite number > 0, not Infinity',
      '--stretch must be a finite number > 0, not x',
    ]);
    expect(out).not.toHaveBeenCalled();
    // A drawn plan cannot be stretched: the plan's error, exit 1.
    expect(simulate(['--plan', TINY, '--stretch', '2'])).toBe(1);
    expect(printed(err)).toContain('stretch: only a trace plan can be stretched (this one draws its arrivals)');
  });

  it('cli.ts --stretch: the bank trace at hall scale, the predictors table', () => {
    expect(simulate(['--plan', BANK, '--predictors', '--stretch', '3', '--late', '1'])).toBe(0);
    const text = printed(out);
    expect(text).toContain('1999-02-02 stretched ×3, the trace');
    expect(text).toMatch(/late >1 /);
    expect(text).toMatch(/^current .* met$/m);
    expect(err).not.toHaveBeenCalled();
  });

  it('cli.ts --compare --days N --candidates: seeds 1..N pooled, the study candidates beside the server policies', () => {
    expect(simulate(['--plan', TINY, '--days', '2'])).toBe(2);
    expect(simulate(['--plan', TINY, '--compare', '--days', '0'])).toBe(2);
    expect(printed(err).split('\n')).toEqual([
      '--days and --candidates go with --compare',
      expect.stringMatching(/^usage: /),
      '--days must be a whole number ≥ 1, not 0',
    ]);
    expect(simulate(['--plan', TINY, '--compare', '--days', '2', '--candidates'])).toBe(0);
    const text = printed(out);
    expect(text).toContain('seeds 1, 2 pooled');
    const policies = text.split('\n').flatMap((l) => /^([a-z0-9-]+)\s+\d/.exec(l)?.[1] ?? []);
    expect(policies).toEqual([...Object.keys(POLICIES), 'head-start-5', 'head-start-30', 'due-1', 'due-2']);
    // The candidates were known to the routing core for the run only.
    expect(Object.keys(POLICIES)).toEqual(['effective-time', 'service-order', 'strict-priority', 'fifo']);
  });

  it('cli.ts --server hands the day to the load test (load-cli.ts), which checks its own options', async () => {
    // --speed is load-cli.ts's option, unknown to the in-process run: its message proves the hand-over. A run
    // against a real server is load.test.ts's.
    const code = await simulate(['--plan', TINY, '--server', 'http://127.0.0.1:9', '--admin-password', 'x', '--speed', '0']);
    expect(code).toBe(2);
    expect(printed(err)).toBe('--speed must be a number > 0, not 0');
    expect(out).not.toHaveBeenCalled();
  });

  it('whatif-cli.ts runs a plan', () => {
    expect(whatif(['--plan', TINY, '--seed', '2'])).toBe(0);
    expect(printed(out)).toContain('seed 2, policy');
    expect(err).not.toHaveBeenCalled();
  });
});
