/** OutbreakSummary: the counts, epidemic curve, reproduction number by generation and spreaders at asOf. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../types/date-time.scalar';
import { GenerationRType } from './transmission-chain.type';

@ObjectType('EpiCurveDay', { description: 'One day of the epidemic curve (district time).' })
export class EpiCurveDayType {
  @Field(() => String, { description: 'YYYY-MM-DD.' })
  date!: string;

  @Field(() => Int, { description: 'Symptomatic cases confirmed that day.' })
  confirmed!: number;

  @Field(() => Int, { description: 'Asymptomatic cases confirmed that day.' })
  asymptomatic!: number;

  @Field(() => Int, { description: 'Symptomatic cases by day of onset.' })
  byOnset!: number;
}

@ObjectType('Spreader', {
  description:
    'A case that drives transmission: offspring in the chains, betweenness and PageRank in the case graph (over-dispersion k = 0.33).',
})
export class SpreaderType {
  @Field(() => Int)
  offspring!: number;

  @Field(() => Float)
  betweenness!: number;

  @Field(() => Float)
  pagerank!: number;
}

@ObjectType('OutbreakSummary', { description: 'The outbreak at asOf in numbers.' })
export class OutbreakSummaryType {
  @Field(() => DateTimeScalar)
  asOf!: number;

  @Field(() => String, { description: 'Protocol preset, e.g. cn-9th-2022.' })
  protocol!: string;

  @Field(() => String, { description: 'Pathogen preset, e.g. omicron-ba5.' })
  pathogen!: string;

  @Field(() => [String], {
    description:
      'Where the analysis departed from the presets, as path=value (e.g. protocol.preOnsetDays=4); empty when it ran with the presets as they are.',
  })
  parameterChanges!: string[];

  @Field(() => Int) cases!: number;
  @Field(() => Int) confirmed!: number;
  @Field(() => Int) asymptomatic!: number;
  @Field(() => Int) chains!: number;
  @Field(() => Int) activeChains!: number;
  @Field(() => Int) closeContacts!: number;
  @Field(() => Int) contactsOfCloseContacts!: number;
  @Field(() => Int) venueExposed!: number;
  @Field(() => Int, {
    description:
      "Quarantine beds in all: the sites' capacity, or the capacity asked for if that is fewer. Beds already taken at asOf count among them.",
  })
  quarantineBeds!: number;
  @Field(() => Int, {
    description:
      "Beds assigned by the quarantine plan to persons not yet at the site. The plan keeps no earlier day's assignment: a person counts here each day until a stay at the site is imported.",
  })
  assignedBeds!: number;
  @Field(() => Int, { description: 'Beds already taken at the as-of instant.' }) occupiedBeds!: number;
  @Field(() => Int, {
    description:
      "Of the beds already taken, those held by contacts whose quarantine had ended by asOf: free once they leave (the sites' dueForRelease).",
  })
  dueForReleaseBeds!: number;
  @Field(() => Int, { description: 'Persons due for a bed who got none.' }) waitingForBeds!: number;
  @Field(() => Int) highRiskAreas!: number;
  @Field(() => Int) mediumRiskAreas!: number;

  @Field(() => [EpiCurveDayType], { description: 'Every day from the first to the last case event.' })
  epiCurve!: EpiCurveDayType[];

  @Field(() => [GenerationRType], { description: 'Mean offspring by generation over all chains.' })
  rByGeneration!: GenerationRType[];
}
