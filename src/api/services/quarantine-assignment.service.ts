/**
 * Assigning a person to a quarantine site: the assignment is a stay of the person at the site
 * (validated as a row of stays.csv is), refused unless the site has a free bed over the whole
 * interval and the person is at no other quarantine site over any of it. Beds are counted as
 * quarantine-beds.ts counts them for every write of stays, and checks and write run one at a
 * time per store in this process with those writes, so two requests cannot both take the last bed.
 */
import type { Parameters } from '../../domain/parameters';
import { staysSpec } from '../../domain/records';
import { DAY, formatInstant } from '../../domain/time';
import { QUARANTINE_SITE_KIND, type Id, type Instant, type Place } from '../../domain/types';
import type { TraceStore } from '../../store/port';
import { badUserInput, type InputProblem } from '../errors';
import { clearLoaders, type Loaders } from '../loaders';
import { oneCheckedWriteAtATime } from './checked-writes';
import { bedsTaken, noBedReason, overlappingSiteStays } from './quarantine-beds';
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
    // Queued behind other writes, it waits for another process's write lock no longer in all.
    const askedAt = Date.now();
    return oneCheckedWriteAtATime(this.store, () => this.checkAndWrite(request, askedAt));
  }

  /**
   * The stay's problems by argument. An instant left out is the default's, and the problem says
   * so: the client sent no such value. An end left out follows from the start, so it is not
   * refused as well when the start is (a start in the year 9999 has no end that is a date).
   */
  private inArguments(
    problems: readonly { column: string; reason: string }[],
    request: QuarantineAssignmentRequest,
    start: Instant,
  ): InputProblem[] {
    const defaultEnd = request.end === null || request.end === undefined;
    const defaultStart = request.start === null || request.start === undefined;
    const startRefused = problems.some((p) => p.column === 'start');
    const days = this.params.protocol.closeContactQuarantineDays;
    return problems
      .filter((p) => !(p.column === 'end' && defaultEnd && startRefused))
      .map((p) => {
        const path = ARGUMENT_OF_COLUMN[p.column] ?? p.column;
        if (path === 'end' && defaultEnd)
          return { path, reason: `${p.reason} (end was left out: start plus ${days} days)` };
        if (path === 'end' && defaultStart)
          return { path, reason: `${p.reason} (start was left out: now, ${when(start)})` };
        return { path, reason: p.reason };
      });
  }

  private async checkAndWrite(
    request: QuarantineAssignmentRequest,
    askedAt: number,
  ): Promise<QuarantineAssignment> {
    const start = request.start ?? this.now();
    const end = request.end ?? start + this.params.protocol.closeContactQuarantineDays * DAY;
    const input = { subjectId: request.personId, hostId: request.siteId, start, end };
    const parsed = staysSpec.parse(
      inputAsRow({ ...input, start: new Date(start), end: new Date(end) }, staysSpec.columns),
    );
    const problems = this.inArguments(parsed.problems, request, start);
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

    const [already] = await overlappingSiteStays(this.store, [stay], { sameSiteToo: true });
    if (already) {
      problems.push({
        path: 'personId',
        reason: `"${stay.subjectId}" is already assigned to quarantine site ${already.hostId} from ${when(already.start)} to ${when(already.end)}`,
      });
    }

    const [beds] = await bedsTaken(this.store, [stay]);
    const taken = beds!.taken;
    const noBed = noBedReason(site!, stay, beds!);
    if (noBed) problems.push({ path: 'siteId', reason: noBed });
    if (problems.length) throw badUserInput(problems);

    try {
      await this.store.write({ stays: [stay] }, { waitFrom: askedAt });
    } finally {
      // Even a failed write may have reached the store before it failed.
      clearLoaders(this.loaders);
      this.onWrite();
    }
    // A site with no capacity on record was refused above.
    const capacity = site!.capacity ?? 0;
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
