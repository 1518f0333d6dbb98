/**
 * Assigning a person to a quarantine site: the assignment is a stay of the person at the site
 * (validated as a row of stays.csv is), refused unless the site has a free bed over the whole
 * interval and the person is at no other quarantine site over any of it. Beds taken are counted
 * as the persons whose stays at the site overlap the interval (a bed freed half-way through still
 * counts), against the site's capacity. Checks and write run one assignment at a time per store in
 * this process, so two requests cannot both take the last bed.
 */
import type { Parameters } from '../../domain/parameters';
import { staysSpec } from '../../domain/records';
import { DAY, formatInstant } from '../../domain/time';
import { QUARANTINE_SITE_KIND, type Id, type Instant, type Place, type Stay } from '../../domain/types';
import type { TraceStore } from '../../store/port';
import { badUserInput, type InputProblem } from '../errors';
import { clearLoaders, type Loaders } from '../loaders';
import { inputAsRow, KIND_WORDS } from './records.service';

export interface QuarantineAssignmentRequest {
  personId: Id;
  siteId: Id;
  /** Default: now. */
  start?: Instant | null;
  /** Default: start plus the protocol's quarantine days for a close contact. */
  end?: Instant | null;
}

export interface QuarantineAssignment {
  personId: Id;
  siteId: Id;
  start: Instant;
  end: Instant;
  capacity: number;
  /** Beds at the site still free over [start, end], this assignment taken into account. */
  freeBeds: number;
}

/** The argument each column of stays.csv comes from. */
const ARGUMENT_OF_COLUMN: Record<string, string> = {
  subject_id: 'personId',
  host_id: 'siteId',
  start: 'start',
  end: 'end',
};

/** Strict overlap: a stay that ends as the interval starts leaves its bed in time. */
const overlaps = (s: Stay, start: Instant, end: Instant): boolean => s.start < end && s.end > start;

const queues = new WeakMap<TraceStore, Promise<unknown>>();

/** Runs `task` after every earlier task on the same store has settled. */
function oneAtATime<T>(store: TraceStore, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(store) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}

const when = (at: Instant): string => formatInstant(at);

export class QuarantineAssignmentService {
  constructor(
    private readonly store: TraceStore,
    private readonly loaders: Loaders,
    private readonly params: Parameters,
    private readonly now: () => number = Date.now,
    /** Called once the store may have changed (e.g. to drop cached analyses). */
    private readonly onWrite: () => void = () => undefined,
  ) {}

  assign(request: QuarantineAssignmentRequest): Promise<QuarantineAssignment> {
    return oneAtATime(this.store, () => this.checkAndWrite(request));
  }

  private async checkAndWrite(request: QuarantineAssignmentRequest): Promise<QuarantineAssignment> {
    const start = request.start ?? this.now();
    const end = request.end ?? start + this.params.protocol.closeContactQuarantineDays * DAY;
    const input = { subjectId: request.personId, hostId: request.siteId, start, end };
    const parsed = staysSpec.parse(
      inputAsRow({ ...input, start: new Date(start), end: new Date(end) }, staysSpec.columns),
    );
    const problems: InputProblem[] = parsed.problems.map((p) => ({
      path: ARGUMENT_OF_COLUMN[p.column] ?? p.column,
      reason: p.reason,
    }));
    const stay = parsed.record;
    if (!stay) throw badUserInput(problems);

    const [personKind, siteKind] = await this.store.entityKinds([stay.subjectId, stay.hostId]);
    if (!personKind) problems.push({ path: 'personId', reason: `"${stay.subjectId}" does not exist` });
    else if (personKind !== 'person')
      problems.push({
        path: 'personId',
        reason: `"${stay.subjectId}" is a ${KIND_WORDS[personKind]}, not a person`,
      });
    let site: Place | null = null;
    if (!siteKind) problems.push({ path: 'siteId', reason: `"${stay.hostId}" does not exist` });
    else if (siteKind !== 'place')
      problems.push({ path: 'siteId', reason: `"${stay.hostId}" is a ${KIND_WORDS[siteKind]}, not a place` });
    else {
      [site] = await this.store.places([stay.hostId]);
      if (site && site.kind !== QUARANTINE_SITE_KIND) {
        problems.push({
          path: 'siteId',
          reason: `"${site.id}" is a place of kind ${site.kind}, not a quarantine site`,
        });
        site = null;
      }
    }
    if (problems.length) throw badUserInput(problems);

    // The person's own stays at quarantine sites over the interval.
    const ownStays = (
      await this.store.staysOfSubjects([{ id: stay.subjectId, from: stay.start, to: stay.end }])
    ).filter((s) => overlaps(s, stay.start, stay.end));
    const hosts = [...new Set(ownStays.map((s) => s.hostId))].sort();
    const hostPlaces = hosts.length ? await this.store.places(hosts) : [];
    const siteIds = new Set(hostPlaces.flatMap((p) => (p?.kind === QUARANTINE_SITE_KIND ? [p.id] : [])));
    const already = ownStays.filter((s) => siteIds.has(s.hostId)).sort((a, b) => a.start - b.start)[0];
    if (already) {
      problems.push({
        path: 'personId',
        reason: `"${stay.subjectId}" is already assigned to quarantine site ${already.hostId} from ${when(already.start)} to ${when(already.end)}`,
      });
    }

    // Beds taken at the site: persons (not stored lots) whose stays there overlap the interval.
    const capacity = site!.capacity ?? 0;
    const atSite = (
      await this.store.staysAtHosts([{ id: stay.hostId, from: stay.start, to: stay.end }])
    ).filter((s) => overlaps(s, stay.start, stay.end) && s.subjectId !== stay.subjectId);
    const subjects = [...new Set(atSite.map((s) => s.subjectId))].sort();
    const subjectKinds = subjects.length ? await this.store.entityKinds(subjects) : [];
    const taken = subjectKinds.filter((k) => k === 'person').length;
    if (site!.capacity === null) {
      problems.push({ path: 'siteId', reason: `"${stay.hostId}" has no capacity (beds) on record` });
    } else if (taken >= capacity) {
      problems.push({
        path: 'siteId',
        reason: `"${stay.hostId}" is full from ${when(stay.start)} to ${when(stay.end)}: ${taken} of ${capacity} bed(s) taken`,
      });
    }
    if (problems.length) throw badUserInput(problems);

    try {
      await this.store.write({ stays: [stay] });
    } finally {
      // Even a failed write may have reached the store before it failed.
      clearLoaders(this.loaders);
      this.onWrite();
    }
    return {
      personId: stay.subjectId,
      siteId: stay.hostId,
      start: stay.start,
      end: stay.end,
      capacity,
      freeBeds: capacity - taken - 1,
    };
  }
}
