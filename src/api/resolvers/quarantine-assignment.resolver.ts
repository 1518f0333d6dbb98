/** assignQuarantineSite: a person to a bed at a quarantine site; investigators and admins only. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Person, Place } from '../../domain/types';
import { WRITERS } from '../auth-checker';
import type { ApiContext } from '../context.type';
import {
  QuarantineAssignmentService,
  type QuarantineAssignment,
} from '../services/quarantine-assignment.service';
import { DateTimeScalar } from '../types/date-time.scalar';
import { PersonType } from '../types/person.type';
import { PlaceType } from '../types/place.type';
import { QuarantineAssignmentType } from '../types/quarantine-assignment.type';

@Resolver(() => QuarantineAssignmentType)
export class QuarantineAssignmentResolver {
  @Authorized(WRITERS)
  @Mutation(() => QuarantineAssignmentType, {
    description:
      "Assigns a person to a quarantine site from start (default now) to end (default start plus the protocol's quarantine days for a close contact), recorded as their stay there. Refused, writing nothing, when the site has no free bed over the interval or the person is already at a quarantine site over part of it.",
    complexity: ({ childComplexity }) => 10 + childComplexity,
  })
  assignQuarantineSite(
    @Arg('personId', () => ID) personId: string,
    @Arg('siteId', () => ID, { description: 'A place of kind quarantine_site.' }) siteId: string,
    @Arg('start', () => DateTimeScalar, { nullable: true }) start: Date | null,
    @Arg('end', () => DateTimeScalar, { nullable: true }) end: Date | null,
    @Ctx() ctx: ApiContext,
  ): Promise<QuarantineAssignment> {
    const service = new QuarantineAssignmentService(
      ctx.store,
      ctx.loaders,
      ctx.analysis.params,
      Date.now,
      () => ctx.analysis.invalidate(),
    );
    return service.assign({
      personId,
      siteId,
      start: start?.getTime() ?? null,
      end: end?.getTime() ?? null,
    });
  }

  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() assignment: QuarantineAssignment, @Ctx() ctx: ApiContext): Promise<Person | null> {
    return ctx.loaders.persons.load(assignment.personId);
  }

  @FieldResolver(() => PlaceType, { nullable: true, description: 'The quarantine site.' })
  site(@Root() assignment: QuarantineAssignment, @Ctx() ctx: ApiContext): Promise<Place | null> {
    return ctx.loaders.places.load(assignment.siteId);
  }
}
