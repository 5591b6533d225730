/** The results table (stdout and markdown) and the files written to bench-results/. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface Row {
  bench: string;
  metric: string;
  value: string;
  baseline: string;
  /** value ÷ baseline (or the difference, where the target is a difference). */
  vs: string;
  target: string;
}

export interface BenchOutput<T> {
  rows: Row[];
  /** Everything measured, for the JSON file. */
  data: T;
  /** Remarks printed under the table. */
  notes: string[];
}

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  commit: string | null;
  /** Tracked files modified against the commit (the build measured is of the working tree). */
  dirty: boolean | null;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews figures. */
  loadAverage: { start: number; end: number | null };
}

export function machineInfo(): MachineInfo {
  // Read-only git queries; --no-optional-locks keeps `git status` from refreshing the index.
  const git = (...args: string[]) =>
    execFileSync('git', ['--no-optional-locks', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  } catch {
    // not a git checkout: no commit to report
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    commit,
    dirty,
    loadAverage: { start: Math.round((os.loadavg()[0] ?? 0) * 100) / 100, end: null },
  };
}

const COLUMNS: { key: keyof Row; title: string }[] = [
  { key: 'bench', title: 'benchmark' },
  { key: 'metric', title: 'metric' },
  { key: 'value', title: 'Yimen' },
  { key: 'baseline', title: 'baseline' },
  { key: 'vs', title: 'vs baseline' },
  { key: 'target', title: 'target' },
];

/** Display width: CJK and the multiplication sign count as in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

export function textTable(rows: Row[]): string {
  const widths = COLUMNS.map((c) => Math.max(width(c.title), ...rows.map((r) => width(r[c.key]))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] as number))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (const r of rows) {
    if (last && r.bench !== last) out.push('');
    out.push(line(COLUMNS.map((c) => (c.key === 'bench' && r.bench === last ? '' : r[c.key]))));
    last = r.bench;
  }
  return out.join('\n');
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  return [
    `| ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map((c) => esc(r[c.key])).join(' | ')} |`),
  ].join('\n');
}

export function machineLine(m: MachineInfo): string {
  const load = `load ${m.loadAverage.start}${m.loadAverage.end === null ? '' : ` → ${m.loadAverage.end}`}`;
  return `${m.date} · ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB · Node ${m.node} · ${m.platform}${m.commit ? ` · commit ${m.commit}${m.dirty ? ' + uncommitted changes' : ''}` : ''} · ${load}`;
}

/** One benchmark's part of the report: what it measured and the run it came from. */
export interface BenchEntry {
  id: string;
  name: string;
  machine: MachineInfo;
  /** The whole run's duration, seconds (the run may have had other benchmarks). */
  runSeconds: number;
  rows: Row[];
  notes: string[];
  data: unknown;
}

/** bench-results/report.json: every benchmark's latest result, in benchmark order. */
export interface Report {
  /** The run that wrote the file last. */
  machine: MachineInfo;
  benches: BenchEntry[];
}

function readReport(file: string): Report | null {
  if (!existsSync(file)) return null;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<Report>;
    return Array.isArray(r.benches) && r.machine ? (r as Report) : null;
  } catch {
    return null; // an unreadable or older report is replaced, not merged
  }
}

/**
 * Writes bench-results/report.json and report.md. The report gathers every benchmark: a run of some of them
 * (`--only`) replaces their entries and keeps the others' from earlier runs, each marked with its own run
 * (date, commit, load), so one report holds all of them and says where each figure came from.
 */
export function writeResults(
  dir: string,
  machine: MachineInfo,
  entries: BenchEntry[],
  order: readonly string[],
): { json: string; md: string; kept: string[] } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const md = join(dir, 'report.md');
  const fresh = new Set(entries.map((e) => e.id));
  const kept = (readReport(json)?.benches ?? []).filter((e) => !fresh.has(e.id) && order.includes(e.id));
  const rank = (e: BenchEntry) => order.indexOf(e.id);
  const benches = [...entries, ...kept].sort((a, b) => rank(a) - rank(b));
  writeFileSync(json, `${JSON.stringify({ machine, benches } satisfies Report, null, 2)}\n`);
  const earlier = benches.filter((e) => !fresh.has(e.id));
  writeFileSync(
    md,
    [
      '# Yimen — benchmarks',
      '',
      `Last run: ${machineLine(machine)}${entries.length ? ` · took ${entries[0]?.runSeconds} s` : ''}`,
      '',
      'Every figure is compared with a baseline measured in the same run. Targets are printed, not asserted.',
      ...(earlier.length
        ? [
            '',
            'From earlier runs (not re-run last time):',
            '',
            ...[...new Set(earlier.map((e) => e.machine.date))].map((date) => {
              const run = earlier.filter((e) => e.machine.date === date);
              return `- ${run.map((e) => `[${e.id}] ${e.name}`).join(', ')}: ${machineLine((run[0] as BenchEntry).machine)}`;
            }),
          ]
        : []),
      '',
      markdownTable(benches.flatMap((e) => e.rows)),
      '',
      ...(benches.some((e) => e.notes.length)
        ? ['## Notes', '', ...benches.flatMap((e) => e.notes.map((n) => `- [${e.id}] ${n}`)), '']
        : []),
    ].join('\n'),
  );
  return { json, md, kept: kept.map((e) => `${e.id} ${e.name}`) };
}
