// The suite tells its own time (issue 29): after each run, the ten slowest files and the tier's
// total on the console and in test-artifacts/timings-<tier>.json; a fast-tier file over its budget
// gets a warning line (a warning, not a timed assertion: a loaded machine must not fail the run).
// It also prints, at the end and once, the checks that could not run here for a missing system
// package (test/helpers/system-deps.ts writes them to the notes directory made below).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface TimingOptions {
  /** 'fast' or 'deep': names the artifact and the summary. */
  tier: string;
  /** Seconds a file of this tier may take before it gets a warning; 0 = no budget. */
  budgetSeconds: number;
}

export default class TimingReporter implements Reporter {
  private started = Date.now();
  private notes = '';

  private readonly tier: string;

  constructor(private readonly opts: TimingOptions) {
    // scripts/node-matrix.mjs runs the fast tier under other Nodes: keep each run's artifact.
    const label = process.env.LANES_TIER_LABEL;
    this.tier = label ? `${opts.tier}-${label}` : opts.tier;
  }

  onInit() {
    // Made in the main process before the workers fork: they inherit the variable.
    this.started = Date.now();
    this.notes = mkdtempSync(path.join(os.tmpdir(), 'lanes-test-notes-'));
    process.env.LANES_TEST_NOTES = this.notes;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const files = modules
      .map((m) => {
        const d = m.diagnostic();
        const seconds =
          (d.environmentSetupDuration +
            d.prepareDuration +
            d.collectDuration +
            d.setupDuration +
            d.duration) /
          1000;
        return {
          file: m.relativeModuleId,
          seconds: Math.round(seconds * 10) / 10,
          state: m.state(),
        };
      })
      .sort((a, b) => b.seconds - a.seconds);
    const wall = (Date.now() - this.started) / 1000;
    const sum = files.reduce((n, f) => n + f.seconds, 0);
    const load = os.loadavg().map((l) => l.toFixed(2));
    const over = this.opts.budgetSeconds
      ? files.filter((f) => f.seconds > this.opts.budgetSeconds)
      : [];
    const missing = this.missingPackages();

    const out: string[] = [];
    out.push(
      '',
      `${this.tier} tier: ${files.length} files, ${wall.toFixed(0)} s wall (vitest), ${sum.toFixed(0)} s summed over files, load average ${load.join(' ')}`,
    );
    out.push('ten slowest files:');
    for (const f of files.slice(0, 10))
      out.push(`  ${f.seconds.toFixed(1).padStart(7)} s  ${f.file}`);
    for (const f of over)
      out.push(
        `warning: ${f.file} took ${f.seconds.toFixed(1)} s, over the ${this.tier} tier's budget of ${this.opts.budgetSeconds} s per file (load ${load[0]}): make it faster or move it to test/deep/`,
      );
    const skipped = modules.reduce((n, m) => n + [...m.children.allTests('skipped')].length, 0);
    if (skipped)
      out.push(
        `skipped: ${skipped} tests${this.tier.startsWith('fast') ? ' (a -t filter, or deep-tier parts of fast files: real-binary sessions, the browser; test/helpers/tier.ts)' : ''}`,
      );
    for (const m of missing) out.push(`not run here: ${m}`);
    console.log(out.join('\n'));

    const artifacts = path.resolve('test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(
      path.join(artifacts, `timings-${this.tier}.json`),
      JSON.stringify(
        {
          tier: this.tier,
          at: new Date().toISOString(),
          node: process.version,
          cpus: os.cpus().length,
          loadAverage: os.loadavg(),
          wallSeconds: wall,
          summedSeconds: sum,
          budgetSeconds: this.opts.budgetSeconds,
          overBudget: over.map((f) => f.file),
          notRun: missing,
          files,
        },
        null,
        2,
      ) + '\n',
    );
  }

  /** One line per missing package, however many files asked for it. */
  private missingPackages(): string[] {
    const lines = new Set<string>();
    if (!this.notes) return [];
    try {
      for (const f of readdirSync(this.notes))
        for (const l of readFileSync(path.join(this.notes, f), 'utf8').split('\n'))
          if (l) lines.add(l);
      rmSync(this.notes, { recursive: true, force: true });
    } catch {
      // No notes directory: nothing was missing.
    }
    return [...lines].sort();
  }
}
