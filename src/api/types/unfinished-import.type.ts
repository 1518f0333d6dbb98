/** UnfinishedImport: an import that left the store holding part of its bundle (Neo4j). */
import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType('UnfinishedImport', {
  description:
    'An import into Neo4j that committed some of its batches and did not finish (cut off, or refused ' +
    'because a bundle file changed while it was imported): the store lacks the rest of its bundle ' +
    'until an import of the same bundle folder completes.',
})
export class UnfinishedImportType {
  @Field(() => String, {
    description: 'The bundle folder, its absolute path on the importing host: the one to import again.',
  })
  bundle!: string;

  @Field(() => DateTimeScalar, { description: 'When it began writing.' })
  startedAt!: number;

  @Field(() => Int, { description: 'The process that imported.' })
  pid!: number;

  @Field(() => String, { description: 'The host that process ran on.' })
  host!: string;
}
