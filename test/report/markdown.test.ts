import { md, renderMarkdown } from '../../src/report/markdown';
import { analysisReportFixture, crowdedReportFixture, emptyReportFixture, withIds } from './fixtures';
import { section } from './page-parts';

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(analysisReportFixture(), { title: 'Yazhou trace report' });

  it('opens with the title and the run it describes', () => {
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '# Yazhou trace report',
      '',
      'As of 2022-08-10 20:00 · protocol cn-9th-2022 · pathogen omicron-ba5 · 9 cases',
    ]);
  });

  it('names the parameters changed from the presets beside them, so such a run reads as one', () => {
    const report = analysisReportFixture();
    report.parameters.changed = ['protocol.preOnsetDays=4', 'pathogen.infectiousDaysAfterOnset=6'];
    expect(renderMarkdown(report).split('\n')[2]).toBe(
      'As of 2022-08-10 20:00 · protocol cn-9th-2022 · pathogen omicron-ba5 · ' +
        'changed: protocol.preOnsetDays=4, pathogen.infectiousDaysAfterOnset=6 · 9 cases',
    );
  });

  it('writes each chain as an indented tree from its root', () => {
    expect(section(markdown, '### Chain C1')).toContain(
      [
        '- B01 琼三亚渔12345 (boat)',
        '  - **P01 陈伟** — generation 0, confirmed, via boat 82%',
        '    - **P03 黄丽** — generation 1, confirmed, via household 71%',
        '      - **P05 郑浩** — generation 2, confirmed, via work contact 58%',
        '  - **P02 林强** — generation 0, confirmed, via boat 77%',
        '    - **P04 吴敏** — generation 1, asymptomatic, via market 46%',
        '      - **P06 周晓燕** — generation 2, asymptomatic, via restaurant 39%, ⚠ onset order reversed',
      ].join('\n'),
    );
    expect(section(markdown, '### Chain C2')).toContain(
      [
        '- L01 frozen shrimp lot 220728A (cold-chain lot)',
        '  - **P07 王芳** — generation 0, confirmed, via cold chain 68%',
        '    - **P08 王建国** — generation 1, asymptomatic, via household 74%',
      ].join('\n'),
    );
    expect(section(markdown, '### Chain C3')).toContain(
      [
        '- unknown source (outside the recorded network)',
        '  - **P09 Li Na** — generation 0, confirmed, via unknown setting 88%',
      ].join('\n'),
    );
    expect(section(markdown, '### Chain C1')).toContain(
      'root: boat B01 琼三亚渔12345 · 6 cases · generations 0–2 · 2022-08-01 to 2022-08-09 (8 d) · active',
    );
  });

  it('has the summary and the epidemic curve as tables', () => {
    expect(section(markdown, '## District summary')).toContain('| Cases | 9 (6 confirmed, 3 asymptomatic) |');
    expect(section(markdown, '## District summary')).toContain(
      '| Quarantine beds taken | 9 / 70 (5 already occupied; 4 assigned by the plan, not yet at the site) |',
    );
    const curve = section(markdown, '## Epidemic curve')
      .split('\n')
      .filter((l) => l.startsWith('| 2022'));
    expect(curve).toHaveLength(10);
    expect(curve[4]).toBe('| 2022-08-05 | 1 | 1 | 0 | █░ |');
  });

  it('scales the bars of a large epidemic curve to about 40 blocks, and says what a block stands for', () => {
    const report = analysisReportFixture();
    report.epiCurve = [
      { date: '2022-08-04', confirmed: 105, asymptomatic: 175, byOnset: 135 },
      { date: '2022-08-05', confirmed: 128, asymptomatic: 215, byOnset: 154 },
      { date: '2022-08-06', confirmed: 2, asymptomatic: 0, byOnset: 1 },
    ];
    const curve = section(renderMarkdown(report), '## Epidemic curve');
    // The busiest day, 343 cases, makes 9 cases a block: 14 + 24 blocks; a day of 2 still shows one.
    expect(curve).toContain(`| 2022-08-05 | 128 | 215 | 154 | ${'█'.repeat(14)}${'░'.repeat(24)} |`);
    expect(curve).toContain(`| 2022-08-04 | 105 | 175 | 135 | ${'█'.repeat(12)}${'░'.repeat(19)} |`);
    expect(curve).toContain('| 2022-08-06 | 2 | 0 | 1 | █ |');
    expect(curve).toContain('_Each █ (confirmed) or ░ (asymptomatic) stands for about 9 cases._');
    // A small outbreak keeps a block per case, without the note.
    expect(section(markdown, '## Epidemic curve')).not.toContain('stands for');
  });

  it('gives each case its facts, timeline, candidates and contacts by tier', () => {
    const p02 = section(markdown, '### P02 林强');
    expect(p02).toContain('- **Most likely infector:** B01 琼三亚渔12345 (boat, 77%)');
    expect(p02).toContain(
      '| 2022-08-01 08:00 | at Yazhou market (market) 1 h 30 min | 2022-08-01 09:30 | M01 Yazhou market |',
    );
    expect(p02).toContain(
      '| P01 陈伟 | case | boat | B01 琼三亚渔12345 | 0.5 | 15% | crew with P01; generation interval density 0.08 at 0.5 d |',
    );
    expect(p02).toContain('**Venue-exposed (1)**');
    expect(p02).toContain(
      '| 6 | K05 Zhang Wei | 4% | 0.05 | health monitoring | — | at Yazhou market with P02 for 40 min (venue exposure) |',
    );
    expect(p02).not.toContain('Close contacts');
  });

  it('gives each risk area the day it may be lowered, or the day it was lifted once low', () => {
    const areas = section(markdown, '## Risk areas');
    expect(areas).toContain(
      '| H01 Chen household, Baogang village | high | 2022-08-02 | 2022-08-16 | home of cases P01, P03 |',
    );
    expect(areas).toContain(
      '| R01 Yazhou seafood restaurant | low | 2022-08-04 | lifted on 2022-08-10 | cases P04, P06 stayed here; lowered from medium to low on 2022-08-10 |',
    );
  });

  it('lists the quarantine list in priority order', () => {
    const rows = section(markdown, '## Quarantine list')
      .split('\n')
      .filter((l) => /^\| \d /.test(l))
      .map((l) => l.split(' | ')[1]);
    expect(rows).toEqual(['K01 何海生', 'K02 陈小明', 'K03 赵磊', 'K06 孙悦', 'K04 何秀英', 'K05 Zhang Wei']);
    // The last exposure, as the HTML's table gives it, in the district's time.
    const table = section(markdown, '## Quarantine list').split('\n');
    const header = table.find((l) => l.startsWith('| # |'))!.split(' | ');
    const k01 = table.find((l) => l.startsWith('| 1 | K01 '))!.split(' | ');
    expect(header[header.indexOf('Last exposure')]).toBe('Last exposure');
    expect(k01[header.indexOf('Last exposure')]).toBe('2022-07-30 13:00');
    const sites = section(markdown, '## Quarantine list')
      .split('\n')
      .filter((l) => l.startsWith('| QS0'));
    // Beds, occupied, due for release (among the occupied), assigned, free = beds − occupied − assigned.
    expect(section(markdown, '## Quarantine list')).toContain(
      '| Quarantine site | Beds | Occupied | Due for release | Assigned | Free |',
    );
    expect(sites.map((l) => l.split(' | ').slice(1))).toEqual([
      ['50', '5', '2', '3', '42 |'],
      ['20', '0', '0', '1', '19 |'],
    ]);
  });

  it('shows only the chains of the asked cases and quotes the problems', () => {
    const progress: string[] = [];
    const md = renderMarkdown(analysisReportFixture(), {
      caseIds: ['P07', 'P999'],
      mask: true,
      onProgress: (done, total, id) => progress.push(`${done}/${total} ${id}`),
    });
    expect(md).toContain(
      '> **1 problem with this report**\n>\n> - unknown case id "P999": not a case in this report (as of 2022-08-10 20:00)',
    );
    expect(md).toContain('### Chain C2');
    expect(md).not.toContain('### Chain C1');
    expect(md).not.toContain('### Chain C3');
    // A mask's asterisks are text, not emphasis.
    expect(md).toContain('### P07 王\\*');
    expect(md).toContain('  - **P07 王\\*** — generation 0, confirmed, via cold chain 68%, selected');
    expect(md).not.toContain('王芳');
    expect(md).not.toContain('### P01');
    expect(progress).toEqual(['1/1 P07']);
  });

  it('escapes pipes in table cells', () => {
    const fixture = analysisReportFixture();
    fixture.contacts[1]!.reasons = 'boat | crew';
    expect(renderMarkdown(fixture)).toContain('boat \\| crew');
  });

  it('renders a report with nothing in it', () => {
    const md = renderMarkdown(emptyReportFixture());
    expect(section(md, '## Transmission chains')).toBe('## Transmission chains\n\n_No chains._\n');
    expect(section(md, '## Cases')).toBe('## Cases\n\n_No cases to report._\n');
    expect(section(md, '## Quarantine list')).toBe('## Quarantine list\n\n_Nobody to quarantine._\n');
  });
});

describe('renderMarkdown of a large district stays bounded', () => {
  /** The district quarantine list, up to the table of quarantine sites. */
  const quarantineList = (md: string) => {
    const start = md.indexOf('## Quarantine list');
    return md.slice(start, md.indexOf('| Quarantine site | Beds', start));
  };
  /** Table rows (not the header or rule) in a piece of Markdown. */
  const tableRows = (md: string) =>
    md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---')).length;

  it('lists the first 50 contacts of a case by priority, saying how many more the CSV has', () => {
    const md = renderMarkdown(crowdedReportFixture(120));
    const p02 = md.slice(md.indexOf('### P02 '), md.indexOf('### P03 '));
    const contacts = p02.slice(p02.indexOf('#### Contacts'));
    expect(contacts).toContain('**Venue-exposed (50 of 121)**');
    // Header + 50 rows.
    expect(tableRows(contacts)).toBe(51);
    expect(contacts).toContain(
      '_50 of 121 shown, its close contacts first, then the contacts of its close contacts, then the venue-exposed, each by quarantine priority; 71 more are in the quarantine list CSV (tracegraph report --format csv), which lists everyone._',
    );
    expect(contacts).toContain('V0049');
    expect(contacts).not.toContain('V0050');
  });

  it('caps the quarantine list with the same note and lists everything with maxContacts 0', () => {
    const capped = renderMarkdown(crowdedReportFixture(120), { maxContacts: 20 });
    const list = quarantineList(capped);
    expect(tableRows(list)).toBe(21);
    expect(list).toContain('20 of 126 shown');
    expect(list).toContain('106 more are in the quarantine list CSV');

    const all = renderMarkdown(crowdedReportFixture(120), { maxContacts: 0 });
    const whole = quarantineList(all);
    expect(tableRows(whole)).toBe(127);
    expect(all).not.toContain('more are in the quarantine list CSV');
  });
});

describe('renderMarkdown: text from the records', () => {
  /** The fixture with hostile names: line breaks, Markdown marks, raw HTML, a javascript: link. */
  function hostile() {
    const report = analysisReportFixture();
    const name = (id: string, text: string) => (report.entities[id]!.name = text);
    name('P05', '孙|蓉\n# Owned `code` **bold**');
    name('P01', '<script>alert(1)</script>陈伟');
    name('P03', '</style><img src=x onerror=alert(2)>');
    name('P02', '[click](javascript:alert(5))');
    name('P04', '周\r雪');
    name('B01', '- 1. > 琼\r\n三亚');
    report.contacts[0]!.reasons = 'line one\rline two\nline three';
    return report;
  }
  const markdown = renderMarkdown(hostile());
  const lines = markdown.split('\n');

  it('keeps every name on its line: no heading, list item or table row is started by a record', () => {
    const headings = lines.filter((line) => /^#{1,6} /.test(line));
    expect(headings.filter((line) => line.startsWith('# '))).toEqual(['# Trace report']);
    expect(headings.filter((line) => line.startsWith('### ') && !line.startsWith('### Chain'))).toHaveLength(
      9,
    );
    expect(markdown).not.toMatch(/\r/);
    expect(lines).toContain('### P05 孙\\|蓉 \\# Owned \\`code\\` \\*\\*bold\\*\\*');
    expect(lines).toContain('### P04 周 雪');
    // The chain tree: each case one item, the names flattened and escaped.
    expect(section(markdown, '### Chain C1')).toContain(
      [
        '- B01 - 1. \\> 琼 三亚 (boat)',
        '  - **P01 \\<script\\>alert(1)\\</script\\>陈伟** — generation 0, confirmed, via boat 82%',
        '    - **P03 \\</style\\>\\<img src=x onerror=alert(2)\\>** — generation 1, confirmed, via household 71%',
        '      - **P05 孙\\|蓉 \\# Owned \\`code\\` \\*\\*bold\\*\\*** — generation 2, confirmed, via work contact 58%',
        '  - **P02 \\[click\\](javascript:alert(5))** — generation 0, confirmed, via boat 77%',
        '    - **P04 周 雪** — generation 1, asymptomatic, via market 46%',
      ].join('\n'),
    );
    // The facts list of P05's infector, and a table cell.
    expect(section(markdown, '### P05 孙\\|蓉 \\# Owned \\`code\\` \\*\\*bold\\*\\*')).toContain(
      '- **Most likely infector:** P03 \\</style\\>\\<img src=x onerror=alert(2)\\> (case, 58%)',
    );
    expect(markdown).toContain('| line one line two line three |');
  });

  it('leaves no raw HTML tag and no link that is not escaped', () => {
    expect(markdown).not.toMatch(/(?<!\\)<[A-Za-z/!?]/);
    expect(markdown).not.toMatch(/(?<!\\)\[click/);
    // Within a word an underscore marks nothing and stays as it is.
    expect(md('cold_storage _x_')).toBe('cold_storage \\_x\\_');
    expect(md('1. first')).toBe('1\\. first');
    expect(md('0.612')).toBe('0.612');
    expect(md('a &amp; b & c')).toBe('a \\&amp; b & c');
  });

  it('flattens a bare carriage return in a table cell too', () => {
    const report = analysisReportFixture();
    report.contacts[1]!.reasons = 'boat\rcrew';
    expect(renderMarkdown(report)).toContain('| boat crew |');
  });
});

describe('renderMarkdown: a case whose id is `unknown`', () => {
  it('is shown as that case; the source outside the network is told by its kind', () => {
    const markdown = renderMarkdown(withIds(analysisReportFixture(), { P05: 'unknown' }));
    expect(markdown.split('\n')).toContain('### unknown 郑浩');
    const p09 = section(markdown, '### P09 Li Na');
    expect(p09).toContain('- **Most likely infector:** unknown source (outside, 88%)');
    expect(p09).toContain('| unknown source | outside |');
    expect(p09).toContain('| unknown 郑浩 | case |');
  });
});
