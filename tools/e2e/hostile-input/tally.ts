// The suite's tally, one row per input, printed at the end of the run and written to
// test-results/hostile-input.md: the README's "Hostile input" table comes from there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, machine } from '../../bench/bench-support';
import { ROOT } from '../pipeline';
import type { Outcome } from './record-tracker';

export interface TallyRow {
  input: string;
  cases: number;
  serverErrors: number;
  stalls: number;
  outcomes: Record<Outcome, number>;
}

export class Tally {
  private readonly rows = new Map<string, TallyRow>();

  row(input: string): TallyRow {
    let row = this.rows.get(input);
    if (!row) {
      row = {
        input,
        cases: 0,
        serverErrors: 0,
        stalls: 0,
        outcomes: { stored: 0, 'dead-lettered': 0, refused: 0 },
      };
      this.rows.set(input, row);
    }
    return row;
  }

  get empty(): boolean {
    return this.rows.size === 0;
  }

  table(seed: number): string {
    const rows = [...this.rows.values()];
    const total = (pick: (row: TallyRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
    const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
    return [
      `Hostile-input suite — ${new Date().toISOString().slice(0, 10)}, ${machine()}, commit ${commit()}, seed ${seed}`,
      '',
      line(['input', 'cases', '5xx', 'stalls', 'stored', 'dead-lettered', 'refused']),
      line(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
      ...rows.map((row) =>
        line([
          row.input,
          row.cases,
          row.serverErrors,
          row.stalls,
          row.outcomes.stored,
          row.outcomes['dead-lettered'],
          row.outcomes.refused,
        ]),
      ),
      line([
        '**total**',
        total((row) => row.cases),
        total((row) => row.serverErrors),
        total((row) => row.stalls),
        total((row) => row.outcomes.stored),
        total((row) => row.outcomes['dead-lettered']),
        total((row) => row.outcomes.refused),
      ]),
    ].join('\n');
  }

  write(seed: number): string {
    const table = this.table(seed);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(join(ROOT, 'test-results', 'hostile-input.md'), `${table}\n`);
    return table;
  }
}
