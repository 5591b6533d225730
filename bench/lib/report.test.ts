import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BenchEntry, type MachineInfo, type Report, writeResults } from './report.js';

const machine = (date: string, commit: string): MachineInfo => ({
  date,
  cpuModel: 'test cpu',
  cores: 2,
  memoryGB: 4,
  node: 'v20',
  platform: 'linux',
  commit,
  dirty: false,
  loadAverage: { start: 0.5, end: 0.6 },
});

const entry = (id: string, name: string, m: MachineInfo, value: string): BenchEntry => ({
  id,
  name,
  machine: m,
  runSeconds: 10,
  rows: [{ bench: name, metric: 'p50', value, baseline: '1 ms', vs: '2×', target: '' }],
  notes: [`${name} note`],
  data: { value },
});

describe('the benchmark report', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gathers every benchmark: a partial run replaces its own entries and keeps the others, marked with their run', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'yimen-bench-'));
    dirs.push(dir);
    const order = ['1', '2', '3'];
    const first = machine('2026-11-27T10:00:00Z', 'aaa111');
    writeResults(
      dir,
      first,
      [entry('1', 'issue', first, '5 ms'), entry('2', 'fanout', first, '7 ms'), entry('3', 'memory', first, '80 MB')],
      order,
    );
    const second = machine('2026-11-27T12:00:00Z', 'bbb222');
    const out = writeResults(dir, second, [entry('2', 'fanout', second, '6 ms')], order);
    expect(out.kept).toEqual(['1 issue', '3 memory']);

    const report = JSON.parse(readFileSync(out.json, 'utf8')) as Report;
    expect(report.machine.commit).toBe('bbb222');
    expect(report.benches.map((b) => [b.id, b.machine.commit, b.rows[0]?.value])).toEqual([
      ['1', 'aaa111', '5 ms'],
      ['2', 'bbb222', '6 ms'],
      ['3', 'aaa111', '80 MB'],
    ]);
    const md = readFileSync(out.md, 'utf8');
    expect(md).toContain('commit bbb222');
    expect(md).toMatch(/- \[1\] issue, \[3\] memory: .*commit aaa111/);
    expect(md).not.toMatch(/\[2\] fanout: .*commit/);
    // The table holds all three benchmarks in order, the notes too.
    const rows = md.split('\n').filter((l) => /^\| (issue|fanout|memory) /.test(l));
    expect(rows.map((l) => l.split('|')[1]?.trim())).toEqual(['issue', 'fanout', 'memory']);
    expect(md).toContain('- [3] memory note');
  });

  it('replaces an unreadable report instead of failing', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'yimen-bench-'));
    dirs.push(dir);
    const m = machine('2026-11-27T12:00:00Z', 'ccc333');
    writeResults(dir, m, [entry('1', 'issue', m, '5 ms')], ['1', '2']);
    // A damaged file (an interrupted write, an older format).
    writeFileSync(join(dir, 'report.json'), '{not json');
    const out = writeResults(dir, m, [entry('2', 'fanout', m, '6 ms')], ['1', '2']);
    expect(out.kept).toEqual([]);
    expect((JSON.parse(readFileSync(out.json, 'utf8')) as Report).benches.map((b) => b.id)).toEqual(['2']);
  });
});
