import { anchorId, renderHtml } from '../../src/report/html';
import { analysisReportFixture, crowdedReportFixture, emptyReportFixture, withIds } from './fixtures';
import { part } from './page-parts';

/** Values of one attribute across the document, in order. */
function attributeValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

/** The epidemic curve drawn in the `epi-wide` or `epi-narrow` block. */
function epiCurve(html: string, layout: string): string {
  return html.match(new RegExp(`<div class="diagram ${layout}">(<svg class="epi-curve"[^]*?</svg>)`))![1]!;
}

/** A case's timeline strip drawn in the `timeline-wide` or `timeline-narrow` block. */
function timelineStrip(html: string, layout: string): string {
  return html.match(new RegExp(`<div class="${layout}">(<svg class="timeline"[^]*?</svg>)</div>`))![1]!;
}

/** The rule of a `@media` block of the page's style, up to its closing brace. */
function mediaBlock(html: string, query: string): string {
  const css = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
  const block = css.slice(css.indexOf(`@media ${query} {`));
  return block.slice(0, block.indexOf('\n}'));
}

/**
 * The height in px of a drawing's 11-unit labels where the page shows it: an SVG is drawn at its
 * own width (its `width`), or narrower where the page is (`max-width: 100%`), its text with it.
 * The page is the screen less its margins (24 px a side, 12 above 560 px), and on a desktop
 * (from 840 px) less a 17 px scroll bar; a phone's scroll bar takes no width.
 */
function labelPx(svg: string, screen: number): number {
  const viewBoxWidth = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)![1]);
  const page = screen - (screen <= 560 ? 24 : 48) - (screen >= 840 ? 17 : 0);
  return (11 * Math.min(viewBoxWidth, page)) / viewBoxWidth;
}

describe('renderHtml', () => {
  const full = renderHtml(analysisReportFixture(), { title: 'Yazhou trace report' });

  it('is one self-contained document: no script, no outside URL, only in-page and data: links', () => {
    expect(full.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(full).not.toMatch(/https?:\/\//);
    expect(full).not.toMatch(/<script/i);
    // Only in-page references (arrowhead markers), nothing to fetch.
    expect(full).not.toMatch(/@import|url\((?!#)/);
    const links = [...attributeValues(full, 'src'), ...attributeValues(full, 'href')];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith('#') || link.startsWith('data:')).toBe(true);
    expect(full).toContain('<title>Yazhou trace report</title>');
  });

  it('prints each case on its own page', () => {
    expect(full).toMatch(/@media print \{[^]*article\.case \{ break-before: page; \}/);
    expect(full.match(/<article class="case"/g)).toHaveLength(9);
  });

  it('draws one diagram node per case of the chains, plus the boat, the lot and the unknown source', () => {
    expect(attributeValues(full, 'data-case-id')).toEqual([
      'P01',
      'P02',
      'P03',
      'P04',
      'P05',
      'P06',
      'P07',
      'P08',
      'P09',
    ]);
    expect(attributeValues(full, 'data-source-id')).toEqual(['B01', 'L01', 'unknown']);
    expect(attributeValues(full, 'data-chain-id')).toEqual(['C1', 'C2', 'C3']);
    expect(full.match(/<g class="edge"/g)).toHaveLength(9);
  });

  it('colours each case by the setting of the link that infected it and shapes sources by kind', () => {
    const settings = Object.fromEntries(
      [...full.matchAll(/data-case-id="([^"]+)" data-setting="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(settings).toEqual({
      P01: 'boat',
      P02: 'boat',
      P03: 'household',
      P04: 'place',
      P05: 'contact',
      P06: 'place',
      P07: 'cold_chain',
      P08: 'household',
      P09: 'none',
    });
    const boat = part(full, 'chain-C1', '</figure>').match(/data-source-id="B01"[^]*?<\/g>/)![0];
    expect(boat.match(/<polygon class="shape" points="([^"]+)"/)![1]!.split(' ')).toHaveLength(6);
    const lot = part(full, 'chain-C2', '</figure>').match(/data-source-id="L01"[^]*?<\/g>/)![0];
    expect(lot.match(/<polygon class="shape" points="([^"]+)"/)![1]!.split(' ')).toHaveLength(4);
    const unknown = part(full, 'chain-C3', '</figure>').match(/data-source-id="unknown"[^]*?<\/g>/)![0];
    expect(unknown).toContain('stroke-dasharray');
    // Edge labels carry the probability of each link.
    const c1Labels = [
      ...part(full, 'chain-C1', '</figure>').matchAll(/class="edge-label"[^>]*>([^<]+)</g),
    ].map((m) => m[1]);
    expect(c1Labels).toEqual(['82%', '77%', '71%', '46%', '58%', '39% !']);
  });

  it('draws the epidemic curve with one bar group per day', () => {
    for (const layout of ['epi-wide', 'epi-narrow']) {
      const curve = epiCurve(full, layout);
      expect(attributeValues(curve, 'data-date')).toHaveLength(10);
      expect(curve.match(/class="bar-confirmed"/g)).toHaveLength(6);
      expect(curve.match(/class="bar-asymptomatic"/g)).toHaveLength(3);
      expect(curve.match(/class="onset"/g)).toHaveLength(6);
    }
  });

  it("draws the epidemic curve a second time for a phone's width, shown instead of the wide one on a narrow screen only", () => {
    // An SVG's text scales with it: the 760-unit curve shown 330 px wide had labels 5 px high.
    expect(epiCurve(full, 'epi-wide')).toMatch(
      /^<svg class="epi-curve" viewBox="0 0 760 250" width="760" height="250"/,
    );
    const narrow = epiCurve(full, 'epi-narrow');
    expect(narrow).toMatch(/^<svg class="epi-curve" viewBox="0 0 296 266" width="296" height="266"/);
    // The legend goes on three lines, each item inside the narrow drawing (7 units a character at
    // 11 px is more than any of these takes).
    const legend = [
      ...narrow.split('<g class="legend">')[1]!.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</g),
    ];
    expect(legend.map((m) => m[3])).toEqual([
      'confirmed (symptomatic)',
      'asymptomatic',
      'cases by onset date',
    ]);
    for (const [, x, , text] of legend) expect(Number(x) + 7 * text!.length).toBeLessThan(296);
    expect(new Set(legend.map((m) => m[2])).size).toBe(3);
    // Only a screen narrower than 840 px shows the narrow one; paper shows the wide one.
    const css = full.slice(full.indexOf('<style>'), full.indexOf('</style>'));
    expect(css).toContain('.epi-narrow, .timeline-narrow { display: none; }');
    expect(mediaBlock(full, 'screen and (max-width: 839px)')).toMatch(
      /\.epi-wide, \.timeline-wide \{ display: none; \}\s*\.epi-narrow, \.timeline-narrow \{ display: block; \}/,
    );
    expect(mediaBlock(full, 'print')).not.toMatch(/epi-|timeline-/);
  });

  it("keeps the curve's and the strip's labels 11 px or more at every screen width from 320 to 1200 px", () => {
    const p01 = part(full, 'case-P01', '</article>');
    const drawings = {
      wide: [epiCurve(full, 'epi-wide'), timelineStrip(p01, 'timeline-wide')],
      narrow: [epiCurve(full, 'epi-narrow'), timelineStrip(p01, 'timeline-narrow')],
    };
    const narrowBelow = Number(/@media screen and \(max-width: (\d+)px\) \{\s*\.epi-wide/.exec(full)![1]) + 1;
    const small: string[] = [];
    for (let screen = 320; screen <= 1200; screen++) {
      const shown = screen < narrowBelow ? drawings.narrow : drawings.wide;
      for (const svg of shown)
        if (labelPx(svg, screen) < 11)
          small.push(`${screen} px: ${labelPx(svg, screen).toFixed(1)} px labels`);
    }
    expect(small).toEqual([]);
    // Before, the wide curve was shown from 561 px: 9 px labels there; the strip, 720 units on a
    // 360 px phone, had 6 px labels.
    expect(labelPx(drawings.wide[0]!, 561)).toBeLessThan(9.5);
    expect(labelPx(drawings.wide[1]!, 360)).toBeLessThan(6.5);
  });

  it("draws each case's timeline strip a second time for a phone's width, its days labelled as many as fit", () => {
    const p01 = part(full, 'case-P01', '</article>');
    const wide = timelineStrip(p01, 'timeline-wide');
    const narrow = timelineStrip(p01, 'timeline-narrow');
    expect(wide).toMatch(/^<svg class="timeline" viewBox="0 0 720 62" width="720" height="62"/);
    expect(narrow).toMatch(/^<svg class="timeline" viewBox="0 0 296 62" width="296" height="62"/);
    // The same marks on both.
    const marks = (svg: string) => [...svg.matchAll(/class="(stay|mark-[a-z]+|window)"/g)].map((m) => m[1]);
    expect(marks(narrow)).toEqual(marks(wide));
    expect(marks(wide).length).toBeGreaterThan(2);
    // Day labels: each inside the strip, none closer to the next than a label is wide (34 units).
    for (const [svg, width] of [
      [wide, 720],
      [narrow, 296],
    ] as const) {
      const xs = [...svg.matchAll(/<text x="([\d.]+)" y="56"[^>]*class="axis">\d\d-\d\d</g)].map((m) =>
        Number(m[1]),
      );
      expect(xs.length).toBeGreaterThan(1);
      for (const x of xs) expect(x - 17 >= 0 && x + 17 <= width).toBe(true);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(34);
    }
  });

  it("titles each mark of a timeline strip with its times as the district's clock shows them", () => {
    const wide = timelineStrip(part(full, 'case-P01', '</article>'), 'timeline-wide');
    const titles = [...wide.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      '2022-07-30 05:00 – 2022-07-30 13:00: aboard 琼三亚渔12345 (boat) 8h',
      '2022-07-31 07:00 – 2022-07-31 09:00: at Yazhou fishing port (fishing_port) 2h',
      '2022-08-01: symptom onset',
      '2022-08-02 08:30: PCR positive (Ct 24.5)',
      '2022-08-02 10:00: confirmed',
    ]);
  });

  it('shows the district summary', () => {
    const summary = part(full, 'summary', '</section>');
    expect(summary).toContain(
      '<div class="value">9</div><div class="label">cases (6 confirmed, 3 asymptomatic)</div>',
    );
    expect(summary).toContain(
      '<div class="value">9 / 70</div><div class="label">quarantine beds taken (5 already occupied; 4 assigned by the plan, not yet at the site)</div>',
    );
  });

  it('gives each case its timeline, infector candidates with evidence and contacts by tier', () => {
    const p01 = part(full, 'case-P01', '</article>');
    expect(p01).toContain('<h3>P01 陈伟 <span class="badge confirmed">confirmed</span></h3>');
    expect(timelineStrip(p01, 'timeline-wide').match(/class="stay"/g)).toHaveLength(2);
    expect(timelineStrip(p01, 'timeline-narrow').match(/class="stay"/g)).toHaveLength(2);
    expect(p01).toContain('aboard 琼三亚渔12345 (boat) 8h');
    expect(p01).toContain('aboard B01 for 31h from 2022-07-28; boat swab positive (Ct 29.1) on 2022-08-03');
    expect(p01.indexOf('82%')).toBeLessThan(p01.indexOf('18%'));
    const close = p01.indexOf('<h5>Close contacts (1)</h5>');
    const secondary = p01.indexOf('<h5>Contacts of close contacts (1)</h5>');
    expect(close).toBeGreaterThan(0);
    expect(p01.indexOf('K01 何海生')).toBeGreaterThan(close);
    expect(p01.indexOf('K04 何秀英')).toBeGreaterThan(secondary);
    expect(p01).not.toContain('Venue-exposed');

    const p06 = part(full, 'case-P06', '</article>');
    expect(p06).toContain('<span class="badge flag">onset order reversed</span>');
    expect(p06).toContain('No contacts traced from this case.');
  });

  it('lists sources by score, risk areas by level and the quarantine list by priority', () => {
    const sources = part(full, 'sources', '</section>');
    expect(sources.indexOf('B01 琼三亚渔12345')).toBeLessThan(sources.indexOf('L01 frozen shrimp'));
    expect(sources.indexOf('L01 frozen shrimp')).toBeLessThan(sources.indexOf('M01 Yazhou market'));
    const areas = part(full, 'risk-areas', '</section>');
    const order = ['CS01', 'H01', 'FP01', 'M01', 'R01'].map((id) => areas.indexOf(`${id} `));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The day each may be lowered; for one lowered to low, the day it was lifted.
    expect(areas).toContain('<td>2022-08-02</td><td>2022-08-16</td><td>home of cases P01, P03</td>');
    expect(areas).toContain(
      '<td>2022-08-04</td><td>lifted on 2022-08-10</td><td>cases P04, P06 stayed here; lowered from medium to low on 2022-08-10</td>',
    );
    const quarantine = part(full, 'quarantine', '</section>');
    const people = [...quarantine.matchAll(/<span class="nowrap">(K\d\d) /g)].map((m) => m[1]);
    expect(people).toEqual(['K01', 'K02', 'K03', 'K06', 'K04', 'K05']);
    expect(quarantine).toContain('13812341234');
  });

  it('counts beds already occupied at a site, those due for release among them, before those assigned by the plan', () => {
    const sites = part(full, 'quarantine', '</section>').split('<h4>Quarantine sites</h4>')[1] ?? '';
    const cells = (id: string) =>
      [...(sites.split(`<td>${id} `)[1] ?? '').split('</tr>')[0]!.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map(
        (m) => m[1],
      );
    // QS01: 50 beds, 5 occupied (2 of them due for release), 3 assigned, 42 free.
    expect(sites).toContain(
      '<th class="num">Occupied</th><th class="num">Due for release</th><th class="num">Assigned</th>',
    );
    expect(cells('QS01')).toEqual(['50', '5', '2', '3', '42']);
    expect(cells('QS02')).toEqual(['20', '0', '0', '1', '19']);
  });

  it('shows only the chains of the asked cases, and the unknown ids in a visible box', () => {
    const progress: [number, number, string][] = [];
    const html = renderHtml(analysisReportFixture(), {
      caseIds: ['P07', 'P999'],
      onProgress: (done, total, id) => progress.push([done, total, id]),
    });
    expect(attributeValues(html, 'data-case-id')).toEqual(['P07', 'P08']);
    expect(attributeValues(html, 'data-source-id')).toEqual(['L01']);
    expect(html.match(/<article class="case"/g)).toHaveLength(1);
    expect(html).not.toContain('id="case-P01"');
    expect(html).toMatch(
      /<div class="problems" role="alert"><strong>1 problem with this report<\/strong><ul><li>unknown case id &quot;P999&quot;: not a case in this report/,
    );
    expect(html.match(/class="selected-ring"/g)).toHaveLength(1);
    expect(progress).toEqual([[1, 1, 'P07']]);
  });

  it("links a source's chains only where they are drawn", () => {
    // M01 is a likely source of chains C1 and C3; only C3 (P09's) is drawn.
    const html = renderHtml(analysisReportFixture(), { caseIds: ['P09'] });
    const ids = new Set(attributeValues(html, 'id'));
    const links = attributeValues(html, 'href').filter((href) => href.startsWith('#'));
    expect(links.filter((href) => !ids.has(href.slice(1)))).toEqual([]);
    expect(part(html, 'sources', '</section>')).toContain(`C1, <a href="#${anchorId('chain', 'C3')}">C3</a>`);
  });

  it('draws the whole chain of a selected case, ringing only that case', () => {
    const html = renderHtml(analysisReportFixture(), { caseIds: ['P03'] });
    expect(attributeValues(html, 'data-case-id')).toEqual(['P01', 'P02', 'P03', 'P04', 'P05', 'P06']);
    expect(html).toMatch(/data-case-id="P03"[^>]*><title>[^<]*<\/title><circle class="selected-ring"/);
  });

  it('shows problems given by the caller and has no box when there are none', () => {
    expect(full).not.toContain('class="problems"');
    const html = renderHtml(analysisReportFixture(), { problems: ['stays.csv is 3 days old'] });
    expect(html).toContain('<li>stays.csv is 3 days old</li>');
  });

  it('masks names and phones when asked', () => {
    const html = renderHtml(analysisReportFixture(), { mask: true });
    expect(html).toContain('K01 何**');
    expect(html).toContain('138****1234');
    expect(html).not.toContain('何海生');
    expect(html).not.toContain('13812341234');
    expect(html).toContain('personal data masked');
  });

  it('escapes text from the data', () => {
    const fixture = analysisReportFixture();
    fixture.entities.P01!.name = '<b>陈伟</b> & co';
    const html = renderHtml(fixture);
    expect(html).toContain('P01 &lt;b&gt;陈伟&lt;/b&gt; &amp; co');
    expect(html).not.toContain('<b>陈伟</b>');
  });

  it('renders a report with nothing in it', () => {
    const html = renderHtml(emptyReportFixture());
    expect(html).toContain('<p class="empty">No cases to report.</p>');
    expect(html).toContain('<p class="empty">No chains.</p>');
    expect(html).toContain('<p class="empty">No cases by day yet.</p>');
    expect(html).toContain('<p class="empty">Nobody to quarantine.</p>');
    expect(html).not.toContain('data-case-id');
  });

  it('labels every day of a short curve and thins the labels of a long one', () => {
    const fixture = analysisReportFixture();
    fixture.epiCurve = Array.from({ length: 40 }, (_, i) => ({
      date: new Date(Date.UTC(2022, 6, 10 + i)).toISOString().slice(0, 10),
      confirmed: i % 3,
      asymptomatic: 0,
      byOnset: 0,
    }));
    const html = renderHtml(fixture);
    const curve = epiCurve(html, 'epi-wide');
    const labels = [...curve.matchAll(/class="axis">(\d\d-\d\d)</g)].map((m) => m[1]);
    // 40 days, one label every third day: 07-10, 07-13, ..., 08-17.
    expect(labels).toHaveLength(14);
    expect(labels.slice(0, 3)).toEqual(['07-10', '07-13', '07-16']);
    expect(curve.match(/data-date=/g)).toHaveLength(40);
    const narrow = epiCurve(html, 'epi-narrow');
    const narrowLabels = [...narrow.matchAll(/class="axis">(\d\d-\d\d)</g)].map((m) => m[1]);
    // The narrow curve, a phone's width, labels every seventh day.
    expect(narrowLabels).toHaveLength(6);
    expect(narrowLabels.slice(0, 3)).toEqual(['07-10', '07-17', '07-24']);
    expect(narrow.match(/data-date=/g)).toHaveLength(40);
  });
});

describe('renderHtml of a large district stays bounded', () => {
  /** Rows of the table bodies in one part of the page. */
  const rows = (html: string) =>
    (html.match(/<tbody>[^]*?<\/tbody>/g) ?? []).join('').match(/<tr>/g)?.length ?? 0;

  it('lists the first 50 contacts of a case by priority and says how many more the CSV has', () => {
    const html = renderHtml(crowdedReportFixture(120));
    const p02 = part(html, 'case-P02', '</article>');
    // P02's own contacts: K05 and the 120 added, all venue-exposed.
    expect(rows(p02.slice(p02.indexOf('<h4>Contacts</h4>')))).toBe(50);
    expect(p02).toContain('<h5>Venue-exposed (50 of 121)</h5>');
    expect(p02).toContain(
      '50 of 121 shown, its close contacts first, then the contacts of its close contacts, then the venue-exposed, each by quarantine priority; 71 more are in the quarantine list CSV (tracegraph report --format csv), which lists everyone.',
    );
    // Highest priority first: K05 (6), then V0001 (7) … V0049 (55); V0050 is left out.
    expect(p02).toContain('K05 ');
    expect(p02).toContain('V0049 ');
    expect(p02).not.toContain('V0050 ');
    // A case with few contacts carries no note.
    expect(part(html, 'case-P01', '</article>')).not.toContain('contacts-capped');
  });

  it('caps the district quarantine table the same way, from --max-contacts', () => {
    const html = renderHtml(crowdedReportFixture(120), { maxContacts: 10 });
    const list = part(html, 'quarantine', '<h4>Quarantine sites</h4>');
    expect(rows(list)).toBe(10);
    expect(list).toContain('10 of 126 shown');
    expect(list).toContain('116 more are in the quarantine list CSV');
    const p02 = part(html, 'case-P02', '</article>');
    expect(p02).toContain('<h5>Venue-exposed (10 of 121)</h5>');
  });

  it('keeps the tiers of a capped case, saying when a tier has none among the first', () => {
    const html = renderHtml(crowdedReportFixture(5), { maxContacts: 1 });
    // P01: close contact K01 (priority 1) is shown; its contact of close contact K04 (5) is not.
    const p01 = part(html, 'case-P01', '</article>');
    expect(p01).toContain('<h5>Close contacts (1)</h5>');
    expect(p01).toContain('<h5>Contacts of close contacts (0 of 1)</h5>');
    expect(p01).toContain('None shown: the tiers above fill the 1 listed for this case.');
    expect(p01).toContain('1 of 2 shown');
  });

  it('lists every contact with maxContacts 0', () => {
    const html = renderHtml(crowdedReportFixture(120), { maxContacts: 0 });
    expect(rows(part(html, 'quarantine', '<h4>Quarantine sites</h4>'))).toBe(126);
    expect(html).not.toContain('contacts-capped');
    expect(part(html, 'case-P02', '</article>')).toContain('<h5>Venue-exposed (121)</h5>');
  });

  it('lists the first 60 events of a long timeline and draws them all on the strip', () => {
    const fixture = analysisReportFixture();
    const p01 = fixture.cases.find((c) => c.personId === 'P01')!;
    p01.timeline = Array.from({ length: 75 }, (_, i) => ({
      at: new Date(Date.parse('2022-07-30T00:00:00+08:00') + i * 3_600_000).toISOString(),
      end: new Date(Date.parse('2022-07-30T00:30:00+08:00') + i * 3_600_000).toISOString(),
      kind: 'stay' as const,
      label: `stay ${i + 1}`,
      hostId: 'M01',
    }));
    const article = part(renderHtml(fixture), 'case-P01', '</article>');
    const timeline = article.slice(article.indexOf('<h4>Timeline</h4>'), article.indexOf('<h4>Infector'));
    expect(rows(timeline)).toBe(60);
    expect(timelineStrip(timeline, 'timeline-wide').match(/class="stay"/g)).toHaveLength(75);
    expect(timelineStrip(timeline, 'timeline-narrow').match(/class="stay"/g)).toHaveLength(75);
    expect(timeline).toContain('The first 60 of 75 events are listed');
  });

  it('writes a chain of more than 60 cases as a tree instead of a diagram', () => {
    const fixture = analysisReportFixture();
    const chain = fixture.chains.find((c) => c.id === 'C1')!;
    // 64 more cases, each infected by the one before, from P06.
    let from = 'P06';
    for (let i = 1; i <= 64; i++) {
      const to = `Q${String(i).padStart(3, '0')}`;
      chain.caseIds.push(to);
      chain.links.push({ from, fromKind: 'case', to, probability: 0.5, setting: 'household', flags: [] });
      from = to;
    }
    const html = renderHtml(fixture);
    const c1 = part(html, 'chain-C1', '</figure>');
    expect(c1).not.toContain('<svg class="chain-diagram"');
    expect(c1).toContain('70 cases: more than the 60 a drawn diagram keeps legible');
    expect(c1.match(/<li>/g)).toHaveLength(71); // the boat and the 70 cases
    expect(c1).toContain('Q064');
    // The small chains are still drawn.
    expect(part(html, 'chain-C2', '</figure>')).toContain('<svg class="chain-diagram"');
  });

  it('lists the first 100 likely sources, best first', () => {
    const fixture = analysisReportFixture();
    for (let i = 1; i <= 110; i++)
      fixture.sources.push({
        id: `M${1000 + i}`,
        kind: 'place',
        score: 0.001 * i,
        chainIds: ['C1'],
        reasons: [],
      });
    const sources = part(renderHtml(fixture), 'sources', '</section>');
    expect(rows(sources)).toBe(100);
    expect(sources).toContain('The first 100 of 113 likely sources are listed, best first');
    expect(sources).toContain('M1110');
    expect(sources).not.toContain('M1001');
  });
});

describe('renderHtml anchors and the source outside the network', () => {
  /** Every `id` in the document, and every in-page link. */
  const idsOf = (html: string) => attributeValues(html, 'id');
  const inPageLinks = (html: string) =>
    attributeValues(html, 'href')
      .filter((href) => href.startsWith('#'))
      .map((href) => href.slice(1));

  it('gives every case its own anchor: ids outside ASCII, and ids that differ only in punctuation, do not collide', () => {
    const report = withIds(analysisReportFixture(), {
      P01: '病例甲',
      P02: '病例乙',
      P03: '病例丙',
      P04: 'P-1',
      P05: 'P_1',
      P06: 'P 1',
      P07: 'P.1',
    });
    const html = renderHtml(report);
    const caseAnchors = idsOf(html).filter((id) => id.startsWith('case-'));
    expect(caseAnchors).toHaveLength(9);
    expect(new Set(caseAnchors).size).toBe(9);
    expect(caseAnchors).toEqual(
      expect.arrayContaining([
        'case-病例甲',
        'case-病例乙',
        'case-病例丙',
        'case-P-1',
        'case-P_5f_1',
        'case-P_20_1',
        'case-P_2e_1',
      ]),
    );
    // Every in-page link leads to an element, and a case's link to that case's page.
    const ids = new Set(idsOf(html));
    for (const target of inPageLinks(html)) expect(ids.has(target)).toBe(true);
    expect(part(html, anchorId('case', 'P_1'), '</article>')).toContain('<h3>P_1 郑浩 ');
    expect(part(html, anchorId('case', 'P-1'), '</article>')).toContain('<h3>P-1 吴敏 ');
    expect(part(html, 'case-P_5f_1', '</article>')).toContain(
      `<a href="#${anchorId('case', '病例丙')}">病例丙 黄丽</a>`,
    );
  });

  it('anchorId keeps letters and digits of any script and writes every other character reversibly', () => {
    const ids = [
      'P-1',
      'P_1',
      'P 1',
      'P1',
      'P_31_',
      'P_5f_1',
      '病例甲',
      '病例乙',
      'a"b',
      'a<b',
      '',
      '_',
      '__',
    ];
    const anchors = ids.map((id) => anchorId('case', id));
    expect(new Set(anchors).size).toBe(ids.length);
    for (const anchor of anchors) expect(anchor).toMatch(/^case-[\p{L}\p{N}_-]*$/u);
  });

  it('shows a case whose id is `unknown` as that case; the source outside the network by its kind', () => {
    // P05 is a case, and P09's second candidate; P09's first candidate and infector are the
    // source outside the network, whose id is also `unknown`.
    const html = renderHtml(withIds(analysisReportFixture(), { P05: 'unknown' }));
    expect(part(html, 'case-unknown', '</article>')).toContain('<h3>unknown 郑浩 ');
    const p09 = part(html, 'case-P09', '</article>');
    expect(p09).toContain('<dt>Most likely infector</dt><dd>unknown source (outside, 88%)</dd>');
    expect(p09).toContain('<td>unknown source</td><td>outside</td>');
    expect(p09).toContain('<td><a href="#case-unknown">unknown 郑浩</a></td><td>case</td>');
    const chain = part(html, 'chain-C3', '</figure>');
    expect(chain).toContain('<title>unknown source · outside</title>');
    expect(chain).toContain('<title>unknown source → P09 Li Na: unknown setting, 88%</title>');
    expect(chain).not.toContain('郑浩');
  });
});
