/**
 * What `tracegraph import` (and `start`, as it loads a bundle) says of odd rows and files: a row
 * repeating an id with other fields names the fields that differ; a file saved as UTF-16 is named
 * so; rows repeating an earlier one with the same fields are skipped, counted and listed as
 * warnings, so that the summary counts the records `stats` counts, on either store.
 */
import path from 'node:path';
import { bundleFrom, removeTemp, suiteTemps } from '../import/temp-bundle';
import { emptiedNeo4jCliEnv } from './emptied-neo4j';
import { runCli } from './run-cli';

const temp = suiteTemps('tracegraph-cli-repeats-');
const bundles: string[] = [];
afterAll(() => bundles.forEach(removeTemp));

function bundle(files: Record<string, string | Buffer>): string {
  const dir = bundleFrom(null, files);
  bundles.push(dir);
  return dir;
}

const PERSONS_HEADER = 'id,name,sex,age,phone,id_number,home_id,occupation\n';

/** Persons, samples and cases, each file with rows that repeat an earlier row with the same fields. */
const REPEATING = {
  'persons.csv': `${PERSONS_HEADER}P0001,,F,34,,,,\nP0002,,,,,,,\nP0001,,f,34,,,,\nP0002,,,,,,,\n`,
  'samples.csv':
    'subject_id,sampled_at,result,method,ct\n' +
    'P0002,2022-08-02T10:00:00+08:00,positive,pcr,31\nP0002,2022-08-02T02:00:00Z,positive,pcr,31\n',
  'cases.csv': 'person_id,classification,onset,confirmed_at\nP0002,asymptomatic,,2022-08-03\n',
};

const SUMMARY =
  /^imported 4 records \(persons 2, samples 1, cases 1\) from (.+) into (.+) in \d+\.\d s; 3 rows that repeat earlier ones with the same fields were skipped \(persons 2, samples 1\)\n$/;

const REPEAT_WARNINGS =
  'warning: persons.csv:4: column "id": "P0001" is defined again with the same fields (first at line 2); this row is skipped\n' +
  'warning: persons.csv:5: column "id": "P0002" is defined again with the same fields (first at line 3); this row is skipped\n' +
  'warning: samples.csv:3: column "subject_id": repeats the subject, sampled_at and method of line 2 with the same ' +
  'fields; this row is skipped\n';

const COUNTS = {
  persons: 2,
  places: 0,
  boats: 0,
  items: 0,
  stays: 0,
  contacts: 0,
  handlings: 0,
  samples: 1,
  cases: 1,
};

describe('tracegraph import on the embedded store', () => {
  test('a row repeating an id with other fields is refused naming the field that differs and both values', async () => {
    const dir = bundle({
      'persons.csv': `${PERSONS_HEADER}P0001,,F,34,,,,\nP0002,,,,,,,\nP0001,,F,43,,,,\n`,
    });
    const data = path.join(temp(), 'data');
    expect(await runCli(['import', dir, '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '1 problem found; nothing was written:\n' +
        '  persons.csv:4: column "age": "P0001" is defined again with another age ("34" on line 2, "43" on line 4)\n',
    });
  });

  test('a file saved as UTF-16 is named so, with how to save it as UTF-8', async () => {
    const persons = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${PERSONS_HEADER}P0001,,F,34,,,,\r\n`, 'utf16le'),
    ]);
    const data = path.join(temp(), 'data');
    expect(await runCli(['import', bundle({ 'persons.csv': persons }), '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '1 problem found; nothing was written:\n' +
        '  persons.csv:1: is UTF-16LE text, not UTF-8 (it begins with the byte-order mark FF FE); save the file ' +
        'as UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)"), or convert it with iconv -f UTF-16LE -t UTF-8\n',
    });
  });

  test('repeated rows with the same fields are skipped: the summary counts the records stats counts, each repeat a warning', async () => {
    const dir = bundle(REPEATING);
    const data = path.join(temp(), 'data');
    // Into a folder with no store, then into the store it made (validated against that store).
    for (const run of [1, 2]) {
      const result = await runCli(['import', dir, '--data', data]);
      expect([run, result.code, result.stderr]).toEqual([run, 0, REPEAT_WARNINGS]);
      expect(result.stdout).toMatch(SUMMARY);
      expect(SUMMARY.exec(result.stdout)!.slice(1)).toEqual([dir, path.join(data, 'tracegraph.db')]);
    }
    const stats = await runCli(['stats', '--json', '--data', data]);
    expect(JSON.parse(stats.stdout)).toEqual(COUNTS);
  });

  test('start says the same as it loads the bundle', async () => {
    const data = path.join(temp(), 'data');
    const result = await runCli(['--data', data, 'start', '--bundle', bundle(REPEATING), '--no-serve']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^the store is empty: loading .*\nimported 4 records \(persons 2, samples 1, cases 1\) in \d+\.\d s; 3 rows that repeat earlier ones with the same fields were skipped \(persons 2, samples 1\)\n/,
    );
    expect(result.stderr.endsWith(REPEAT_WARNINGS)).toBe(true);
  });
});

describe('tracegraph import on Neo4j', () => {
  test('repeated rows with the same fields: the same summary and warnings as on the embedded store', async () => {
    const env = await emptiedNeo4jCliEnv();
    const dir = bundle(REPEATING);
    const result = await runCli(['import', dir], { env });
    expect([result.code, result.stderr]).toEqual([0, REPEAT_WARNINGS]);
    expect(result.stdout).toMatch(SUMMARY);
    expect(SUMMARY.exec(result.stdout)![1]).toBe(dir);
    const stats = await runCli(['stats', '--json'], { env });
    expect(JSON.parse(stats.stdout)).toEqual(COUNTS);
  }, 240_000);
});
