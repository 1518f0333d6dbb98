import path from 'node:path';
import { writeFileSync } from 'node:fs';
import type { FieldProblem } from '../../src/domain/errors';
import { readCsvRows, type CsvRow } from '../../src/import/csv-source';
import { removeTemp, tempDir } from './temp-bundle';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeTemp(dir));

async function read(
  name: string,
  content: string | Buffer,
  columns: readonly string[] = ['id', 'name'],
  chunkBytes?: number,
): Promise<{ rows: CsvRow[]; problems: FieldProblem[] }> {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const problems: FieldProblem[] = [];
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(file, { columns, onProblem: (p) => problems.push(p), chunkBytes }))
    rows.push(row);
  return { rows, problems };
}

describe('readCsvRows', () => {
  test('gives each row the line it starts on, across quoted newlines, blank lines and CRLF', async () => {
    const { rows, problems } = await read(
      'lines.csv',
      'id,name\r\n1,"two\r\nlines"\r\n\r\n2,b\n\n\n3,"x\ny\nz"\n4,d',
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, row: { id: '1', name: 'two\r\nlines' } },
      { line: 5, row: { id: '2', name: 'b' } },
      { line: 8, row: { id: '3', name: 'x\ny\nz' } },
      { line: 11, row: { id: '4', name: 'd' } },
    ]);
  });

  test('drops a UTF-8 BOM, trims and lower-cases header names, keeps unknown columns in any order', async () => {
    const { rows, problems } = await read('bom.csv', '\ufeff Name ,NOTES,Id\nLi Wei,porter,P3\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, row: { name: 'Li Wei', notes: 'porter', id: 'P3' } }]);
  });

  test('keeps multi-byte characters split across read chunks', async () => {
    // 陈 is three bytes; with 4-byte chunks every character straddles a boundary somewhere.
    const { rows, problems } = await read('split.csv', 'id,name\nP1,陈大明\nP2,陈小红\n', ['id', 'name'], 4);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.row.name)).toEqual(['陈大明', '陈小红']);
  });

  test('a header alone gives no rows and no problem', async () => {
    expect(await read('header.csv', 'id,name\n')).toEqual({ rows: [], problems: [] });
  });

  test('an empty file is one problem for the whole file', async () => {
    expect(await read('empty.csv', '')).toEqual({
      rows: [],
      problems: [
        {
          file: 'empty.csv',
          line: 0,
          column: '',
          reason: 'is empty: the first line must be a header naming the columns',
        },
      ],
    });
  });

  test('missing columns are one problem on line 1 naming all of them', async () => {
    const result = await read('missing.csv', 'id,notes\nP1,x\n', ['id', 'name', 'sex']);
    expect(result).toEqual({
      rows: [],
      problems: [
        {
          file: 'missing.csv',
          line: 1,
          column: '',
          reason: 'header is missing columns "name", "sex" (found: id, notes)',
        },
      ],
    });
  });

  test('a column named twice in the header is a problem', async () => {
    expect((await read('twice.csv', 'id,name,ID\nP1,a,b\n')).problems).toEqual([
      { file: 'twice.csv', line: 1, column: 'id', reason: 'appears more than once in the header' },
    ]);
  });

  test('an unknown column named twice is ignored like any unknown column', async () => {
    expect(await read('notes.csv', 'id,note,name,NOTE\nP1,x,Ana,y\n', ['id', 'name'])).toEqual({
      rows: [{ line: 2, row: expect.objectContaining({ id: 'P1', name: 'Ana' }) }],
      problems: [],
    });
  });

  test('Latin-1 bytes are reported as not UTF-8 on their line, after the rows before them', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('id,name\nP1,Ana\nP2,Jos'),
      Buffer.from([0xe9]),
      Buffer.from('\nP3,Li\n'),
    ]);
    const { rows, problems } = await read('latin1.csv', latin1, ['id', 'name'], 8);
    expect(rows).toEqual([{ line: 2, row: { id: 'P1', name: 'Ana' } }]);
    expect(problems).toEqual([
      {
        file: 'latin1.csv',
        line: 3,
        column: '',
        reason:
          'is not UTF-8 text (this line has a byte of another encoding, e.g. GBK or Latin-1); save the file as UTF-8',
      },
    ]);
  });

  test('a file that ends in the middle of a character is not UTF-8', async () => {
    const cut = Buffer.concat([Buffer.from('id,name\nP1,'), Buffer.from('陈').subarray(0, 2)]);
    expect((await read('cut.csv', cut)).problems).toEqual([
      expect.objectContaining({ file: 'cut.csv', line: 2, column: '' }),
    ]);
  });

  test('text after a closing quote is malformed CSV on its line and column', async () => {
    const { rows, problems } = await read('quote.csv', 'id,name\nP1,a\nP2,"Li" Wei\nP3,c\n');
    expect(rows).toEqual([{ line: 2, row: { id: 'P1', name: 'a' } }]);
    expect(problems).toEqual([
      {
        file: 'quote.csv',
        line: 3,
        column: 'name',
        reason:
          'malformed CSV: text follows a closing quote before the next comma (write "" for a quote inside a quoted value)',
      },
    ]);
  });

  test('a quote inside an unquoted value is malformed CSV', async () => {
    expect((await read('inner.csv', 'id,name\nP1,Li "Tiger" Wei\n')).problems).toEqual([
      {
        file: 'inner.csv',
        line: 2,
        column: 'name',
        reason:
          'malformed CSV: a quote appears inside an unquoted value (quote the whole value and write "" for the inner quote)',
      },
    ]);
  });

  test('a quote never closed is reported on the line where it opens', async () => {
    expect((await read('open.csv', 'id,name\nP1,a\n\nP2,"b\nP3,c\n')).problems).toEqual([
      {
        file: 'open.csv',
        line: 4,
        column: 'name',
        reason: 'malformed CSV: a quote opened on this line is never closed',
      },
    ]);
  });

  test('a malformed row after a CRLF inside quotes is reported on its own line', async () => {
    const { rows, problems } = await read('crlf.csv', 'id,name\r\nP1,"a\r\nb"\r\nP2,"x"y\r\n');
    expect(rows).toEqual([{ line: 2, row: { id: 'P1', name: 'a\r\nb' } }]);
    expect(problems).toEqual([expect.objectContaining({ file: 'crlf.csv', line: 4, column: 'name' })]);
  });

  test('a row with fewer fields than the header is malformed CSV', async () => {
    expect((await read('short.csv', 'id,name\nP1,a\nP2\n')).problems).toEqual([
      {
        file: 'short.csv',
        line: 3,
        column: '',
        reason: 'malformed CSV: the row has 1 field but the header has 2',
      },
    ]);
  });

  test('reports bytes read for progress', async () => {
    const file = path.join(dir, 'bytes.csv');
    writeFileSync(file, 'id,name\nP1,a\n');
    const seen: number[] = [];
    for await (const _ of readCsvRows(file, {
      columns: ['id'],
      onProblem: () => undefined,
      onBytes: (n) => seen.push(n),
    })) {
      // rows are not needed here
    }
    expect(seen[seen.length - 1]).toBe(13);
  });
});
