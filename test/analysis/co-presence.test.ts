import fc from 'fast-check';
import {
  HostSources,
  SpanList,
  groupByHostAndSubject,
  internStays,
  presenceOf,
} from '../../src/analysis/co-presence';
import { unionSpans } from '../../src/analysis/exposures';
import type { Stay } from '../../src/domain/types';

const HOUR = 3_600_000;
const stay = (subjectId: string, hostId: string, startHour: number, endHour: number): Stay => ({
  subjectId,
  hostId,
  start: startHour * HOUR,
  end: endHour * HOUR,
});

describe('internStays and groupByHostAndSubject', () => {
  test('no stays: no hosts, no groups', () => {
    const interned = internStays([]);
    const groups = groupByHostAndSubject(interned, new Uint8Array(0), new Uint8Array(0));
    expect(interned.hostIds).toEqual([]);
    expect([...groups.order]).toEqual([]);
    expect([...groups.hostStart]).toEqual([0]);
  });

  test('grouped by host, then subject, in the order of the stays; dropped hosts and subjects left out', () => {
    const stays = [
      stay('A', 'X', 0, 1), // 0
      stay('B', 'Y', 0, 1), // 1
      stay('B', 'X', 2, 3), // 2
      stay('A', 'X', 4, 5), // 3
      stay('C', 'Z', 0, 1), // 4
      stay('C', 'X', 1, 2), // 5
      stay('A', 'Y', 6, 7), // 6
    ];
    const interned = internStays(stays);
    expect(interned.hostIds).toEqual(['X', 'Y', 'Z']);
    expect(interned.subjectIds).toEqual(['A', 'B', 'C']);
    // Host Z and subject C are dropped.
    const { order, hostStart } = groupByHostAndSubject(
      interned,
      Uint8Array.of(1, 1, 0),
      Uint8Array.of(1, 1, 0),
    );
    expect([...order]).toEqual([0, 3, 2, 6, 1]);
    expect([...hostStart]).toEqual([0, 3, 5, 5]);
  });
});

describe('internStays numbers', () => {
  test('each host and subject numbered in order of first appearance, runs of one or not', () => {
    const ids = fc.constantFrom('A', 'B', 'C', 'D');
    fc.assert(
      fc.property(fc.array(fc.tuple(ids, ids), { maxLength: 30 }), (pairs) => {
        const stays = pairs.map(([subject, host]) => stay(subject, `H${host}`, 0, 1));
        const interned = internStays(stays);
        const firstSeen = (values: string[]): string[] => [...new Set(values)];
        expect(interned.subjectIds).toEqual(firstSeen(stays.map((s) => s.subjectId)));
        expect(interned.hostIds).toEqual(firstSeen(stays.map((s) => s.hostId)));
        stays.forEach((s, i) => {
          expect(interned.subjectIds[interned.subjectOf[i]!]).toBe(s.subjectId);
          expect(interned.hostIds[interned.hostOf[i]!]).toBe(s.hostId);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('presenceOf', () => {
  test('joins overlapping and touching stays, in any order, like unionSpans', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ start: fc.integer({ min: 0, max: 50 }), hours: fc.integer({ min: 0, max: 10 }) }),
          { maxLength: 10 },
        ),
        (raw) => {
          const stays = raw.map((r) => stay('A', 'X', r.start, r.start + r.hours));
          const out = new SpanList();
          out.push(-1, -1); // left over from an earlier subject: cleared
          presenceOf(internStays(stays), Int32Array.from(stays.keys()), 0, stays.length, out);
          const got = Array.from({ length: out.length }, (_, k) => ({
            start: out.starts[k],
            end: out.ends[k],
          }));
          expect(got).toEqual(unionSpans(stays));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('HostSources', () => {
  /** Shared time by source, for each person's presence in turn. */
  function shared(sources: HostSources<string>, presence: [subject: number, start: number, end: number][]) {
    const out: string[] = [];
    for (const [subject, start, end] of presence) {
      sources.overlap(subject, start * HOUR, end * HOUR);
      sources.flush((source, first, last, total) =>
        out.push(`${subject}>${source}:${first / HOUR}-${last / HOUR}/${total / HOUR}`),
      );
    }
    return out.sort();
  }

  test('each overlapping source and person once; nobody with themselves; touching is not sharing', () => {
    const sources = new HostSources<string>();
    const s = sources.addSource('S', 0);
    sources.addSpan(s, 0, 10 * HOUR);
    sources.addSpan(s, 12 * HOUR, 12 * HOUR); // an instant shares no time
    sources.seal();
    expect(
      shared(sources, [
        [1, 5, 20],
        [2, 0, 3],
        [3, 10, 12],
        [0, 0, 10],
      ]),
    ).toEqual(['1>S:5-10/5', '2>S:0-3/3']);
  });

  test('a person meeting a source twice: first and last instant, and the total of both', () => {
    const sources = new HostSources<string>();
    const s = sources.addSource('S', 0);
    sources.addSpan(s, 0, 2 * HOUR);
    sources.addSpan(s, 5 * HOUR, 9 * HOUR);
    sources.seal();
    sources.overlap(1, 1 * HOUR, 3 * HOUR);
    sources.overlap(1, 4 * HOUR, 6 * HOUR);
    const got: number[][] = [];
    sources.flush((_, first, last, total) => got.push([first / HOUR, last / HOUR, total / HOUR]));
    expect(got).toEqual([[1, 6, 2]]);
    // Flushed: the next person starts from nothing.
    sources.overlap(2, 100 * HOUR, 101 * HOUR);
    sources.flush(() => got.push([]));
    expect(got).toHaveLength(1);
  });

  test('long spans (days of contamination) are found as well as short visits around them', () => {
    const sources = new HostSources<string>();
    const place = sources.addSource('X', -1);
    sources.addSpan(place, 0, 100 * HOUR);
    const visit = sources.addSource('C', 7);
    sources.addSpan(visit, 50 * HOUR, 52 * HOUR);
    sources.seal();
    expect(shared(sources, [[1, 51, 60]])).toEqual(['1>C:51-52/1', '1>X:51-60/9']);
  });

  test('equals the pairwise overlaps of random source and person presences', () => {
    const arbSpans = fc.array(
      fc.record({ start: fc.integer({ min: 0, max: 200 }), hours: fc.integer({ min: 0, max: 60 }) }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(
        fc.array(arbSpans, { minLength: 1, maxLength: 4 }),
        arbSpans,
        (sourceSpans, personSpans) => {
          const sources = new HostSources<string>();
          sourceSpans.forEach((spans, subject) => {
            const source = sources.addSource(`S${subject}`, subject);
            for (const s of unionSpans(spans.map((r) => ({ start: r.start, end: r.start + r.hours }))))
              sources.addSpan(source, s.start * HOUR, s.end * HOUR);
          });
          sources.seal();
          const person = unionSpans(personSpans.map((r) => ({ start: r.start, end: r.start + r.hours })));
          const subject = 1; // also the second source: never exposed to itself
          const got = shared(
            sources,
            person.map((p) => [subject, p.start, p.end]),
          );
          // Flushed once per piece above; add the pieces of each source up by brute force.
          const expected: string[] = [];
          for (const p of person) {
            sourceSpans.forEach((spans, s) => {
              if (s === subject) return;
              let first = Infinity;
              let last = -Infinity;
              let total = 0;
              for (const q of unionSpans(spans.map((r) => ({ start: r.start, end: r.start + r.hours })))) {
                const start = Math.max(p.start, q.start);
                const end = Math.min(p.end, q.end);
                if (end <= start) continue;
                first = Math.min(first, start);
                last = Math.max(last, end);
                total += end - start;
              }
              if (total > 0) expected.push(`${subject}>S${s}:${first}-${last}/${total}`);
            });
          }
          expect(got).toEqual(expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
