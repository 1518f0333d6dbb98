/**
 * Audit D3: a contact of a close contact disappeared when that close contact turned positive.
 * The protocol (9th edition) upgrades them to close contacts instead: src/analysis/tiers.ts lists
 * whoever lived with or had a reported contact with a close contact who turned positive, between
 * that close contact's first exposure and their infectious window, as a close contact (upgraded),
 * and src/analysis/load.ts fetches what that needs through the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyseData } from '../../src/analysis/analyse';
import { computeExposures } from '../../src/analysis/exposures';
import { exposureStrength } from '../../src/analysis/infector';
import { loadOutbreak } from '../../src/analysis/load';
import type { OutbreakData } from '../../src/analysis/model';
import { infectedAndSilent, prioritiseQuarantine, silentAfterFrom } from '../../src/analysis/quarantine';
import { toReport } from '../../src/analysis/report';
import { assignTiers, type TierEntry } from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import type { Case, Contact, RecordBatch } from '../../src/domain/types';
import { openEmbeddedStore } from '../../src/store/embedded';
import { aug, outbreak, person, place, stay } from './outbreak-fixtures';

const params = resolveParameters();
const untraced = resolveParameters({ protocol: 'cn-20-measures-2022' });

/** Infectious over [Aug 1 00:00, Aug 4 10:00]. */
const C1: Case = { personId: 'C1', classification: 'confirmed', onset: aug(3), confirmedAt: aug(4, '10:00') };
/** A close contact of C1 (at work, Aug 2 09:00-12:00) who turns positive: window from Aug 6 00:00. */
const M: Case = { personId: 'M', classification: 'confirmed', onset: aug(8), confirmedAt: aug(8, '12:00') };
const contact = (personA: string, personB: string, start: number, end: number): Contact => ({
  personA,
  personB,
  start,
  end,
  setting: 'social',
});

/**
 * Scenario s7 of the audit, at work instead of at home so that M's household is apart: N lives
 * with M; Y met M on Aug 2 (after M's exposure, before M's window) and lives with Q; V met M across
 * the opening of M's window (Aug 5 22:00 to Aug 6 02:00). R had nothing to do with any of them.
 * N and M each spent a night away before M's window.
 */
function records(): Required<Pick<RecordBatch, 'places' | 'persons' | 'stays' | 'contacts' | 'cases'>> {
  return {
    places: [place('H1', 'home'), place('HM', 'home'), place('HY', 'home'), place('W1', 'workplace')],
    persons: [
      person('C1', 'H1'),
      person('M', 'HM'),
      person('N', 'HM'),
      person('Y', 'HY'),
      person('Q', 'HY'),
      person('V'),
      person('R'),
    ],
    stays: [
      stay('C1', 'W1', aug(2, '09:00'), aug(2, '12:00')),
      stay('M', 'W1', aug(2, '09:00'), aug(2, '12:00')),
      // Nights away from home: N on Aug 3-4, M on Aug 4-5.
      stay('N', 'W1', aug(3, '20:00'), aug(4, '08:00')),
      stay('M', 'W1', aug(4, '20:00'), aug(5, '08:00')),
    ],
    contacts: [
      contact('M', 'Y', aug(2, '19:00'), aug(2, '22:00')),
      contact('V', 'M', aug(5, '22:00'), aug(6, '02:00')),
      contact('R', 'Q', aug(1, '10:00'), aug(1, '11:00')),
    ],
    cases: [C1, M],
  };
}

function data(asOf: number, cases = [C1, M]): OutbreakData {
  const r = records();
  return outbreak({ ...r, asOf, cases: cases.filter((c) => c.confirmedAt! <= asOf) });
}

const summary = (tiers: TierEntry[]): string[] =>
  tiers.map((t) => `${t.personId}:${t.tier}<${t.sourceIds.join(',')}`);
const evidenceOf = (tiers: TierEntry[], id: string) =>
  tiers
    .find((t) => t.personId === id)!
    .evidence.map((e) => ({
      tier: e.tier,
      sourceId: e.sourceId,
      sourceKind: e.sourceKind,
      setting: e.setting,
      start: e.start,
      end: e.end,
      nights: e.nights,
    }));

describe('a close contact who turns positive (audit D3)', () => {
  const asOf = aug(9, '12:00');

  test('before M turns positive: M a close contact, those M met contacts of a close contact', () => {
    const d = data(aug(7));
    const tiers = assignTiers(d, computeExposures(d, params), params);
    expect(summary(tiers)).toEqual([
      'M:close_contact<C1',
      'N:contact_of_close_contact<M',
      'V:contact_of_close_contact<M',
      'Y:contact_of_close_contact<M',
    ]);
  });

  test('once M is a case, those M met before the window are upgraded to close contacts, with evidence saying so', () => {
    const d = data(asOf);
    const tiers = assignTiers(d, computeExposures(d, params), params);
    expect(summary(tiers)).toEqual([
      'N:close_contact<M',
      'V:close_contact<M',
      'Y:close_contact<M',
      // Y is a close contact now: those living with Y are contacts of a close contact.
      'Q:contact_of_close_contact<Y',
    ]);
    // Y: the reported contact with M, through M (a close contact who turned positive).
    expect(evidenceOf(tiers, 'Y')).toEqual([
      {
        tier: 'close_contact',
        sourceId: 'M',
        sourceKind: 'close_contact',
        setting: 'contact',
        start: aug(2, '19:00'),
        end: aug(2, '22:00'),
        nights: undefined,
      },
    ]);
    const y = tiers.find((t) => t.personId === 'Y')!;
    expect(y.evidence[0]!.reason).toBe(
      'upgraded: reported social contact with close contact M, who turned positive, for 3 h, ' +
        '2022-08-02 19:00 to 2022-08-02 22:00, between their exposure and their infectious window',
    );
    expect([y.firstExposure, y.lastExposure]).toEqual([aug(2, '19:00'), aug(2, '22:00')]);
    // N: the nights with M from M's exposure to M's window (Aug 6 00:00), but for the nights either
    // spent away (Aug 3-4, 4-5), then as a household contact of case M in the window.
    expect(evidenceOf(tiers, 'N')).toEqual([
      {
        tier: 'close_contact',
        sourceId: 'M',
        sourceKind: 'close_contact',
        setting: 'household',
        start: aug(2, '22:00'),
        end: aug(6),
        nights: 2,
      },
      expect.objectContaining({ sourceKind: 'case', sourceId: 'M', setting: 'household', start: aug(6) }),
    ]);
    expect(tiers.find((t) => t.personId === 'N')!.evidence[0]!.reason).toMatch(
      /^upgraded: lives with close contact M, who turned positive, at HM: 2 night\(s\) together/,
    );
    // V: the part before M's window is the upgrade, the part in it a direct exposure to case M.
    expect(evidenceOf(tiers, 'V').map((e) => [e.sourceKind, e.start, e.end])).toEqual([
      ['close_contact', aug(5, '22:00'), aug(6)],
      ['case', aug(6), aug(6, '02:00')],
    ]);
  });

  test('the upgrade is weighed through a confirmed case, with its infectiousness at the time', () => {
    const d = data(asOf);
    const exposures = computeExposures(d, params);
    const tiers = assignTiers(d, exposures, params);
    const plan = prioritiseQuarantine(d, exposures, tiers, params, { asOf, centralityById: new Map() });
    const y = plan.entries.find((e) => e.personId === 'Y')!;
    const { pathogen } = params;
    // 3 h of social contact with M, pre-symptomatic then (onset Aug 8); M infected for certain.
    const p =
      1 -
      Math.exp(
        -exposureStrength({ minutes: 180, sourceKind: 'close_contact' }, 'social', pathogen) *
          pathogen.presymptomaticInfectiousness,
      );
    const silent = silentAfterFrom(asOf, pathogen)(aug(2, '20:30'));
    expect(y.tier).toBe('close_contact');
    expect(y.probability).toBeCloseTo(infectedAndSilent([{ p, silent }]), 12);
    expect(y.probability).toBeGreaterThan(0);
    expect(y.reasons).toMatch(
      /^upgraded: social contact with close contact M, who turned positive, for 3 h \(p=1\.00×/,
    );
    expect(y.placement).toBe('waiting');
  });

  test('the report names the close contact who turned positive as whose close contact the upgraded are', () => {
    const d = data(asOf);
    const contacts = toReport(analyseData(d, params, { asOf })).contacts;
    expect(contacts.map((c) => [c.personId, c.tier, c.closeContactOf, c.closeContactsMet])).toEqual(
      expect.arrayContaining([
        ['N', 'close_contact', ['M'], []],
        ['V', 'close_contact', ['M'], []],
        ['Y', 'close_contact', ['M'], []],
        ['Q', 'contact_of_close_contact', [], ['Y']],
      ]),
    );
  });

  test('without contacts of close contacts (20 measures), nobody is upgraded', () => {
    const d = data(asOf);
    const tiers = assignTiers(d, computeExposures(d, untraced), untraced);
    expect(summary(tiers)).toEqual(['N:close_contact<M', 'V:close_contact<M']);
  });

  test('through the store: the load fetches what the upgrade reads, and the tiers equal those over everything', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-upgrade-'));
    const store = await openEmbeddedStore(dir);
    try {
      await store.migrate();
      await store.write(records());
      for (const p of [params, untraced]) {
        const loaded = await loadOutbreak(store, p, asOf);
        const everything = data(asOf);
        // Y's contact with M (before M's window), Q, who lives with Y, and N's night away are loaded.
        if (p === params) {
          expect(loaded.contacts.map((c) => `${c.personA}-${c.personB}`).sort()).toEqual(['M-Y', 'V-M']);
          expect([...loaded.persons.keys()].sort()).toEqual(['C1', 'M', 'N', 'Q', 'V', 'Y']);
          expect(loaded.stays.filter((s) => s.subjectId === 'N')).toEqual([records().stays[2]]);
        }
        const tiers = assignTiers(loaded, computeExposures(loaded, p), p);
        expect(tiers).toEqual(assignTiers(everything, computeExposures(everything, p), p));
        expect(summary(tiers)).toEqual(
          p === params
            ? ['N:close_contact<M', 'V:close_contact<M', 'Y:close_contact<M', 'Q:contact_of_close_contact<Y']
            : ['N:close_contact<M', 'V:close_contact<M'],
        );
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
