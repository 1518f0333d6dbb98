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

  describe('a file saved as UTF-16 is named so, with how to save it as UTF-8', () => {
    const text = 'id,name\r\nP1,Ana\r\nP2,陈大明\r\n';
    const saveAsUtf8 = 'save the file as UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)")';
    const utf16le = Buffer.from(text, 'utf16le');
    const utf16be = Buffer.from(utf16le).swap16();

    test.each([
      [
        'little-endian with its byte-order mark',
        Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]),
        'LE',
        'it begins with the byte-order mark FF FE',
      ],
      [
        'big-endian with its byte-order mark',
        Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
        'BE',
        'it begins with the byte-order mark FE FF',
      ],
      ['little-endian without a byte-order mark', utf16le, 'LE', 'it has NUL bytes between its letters'],
      ['big-endian without a byte-order mark', utf16be, 'BE', 'it has NUL bytes between its letters'],
    ])('%s', async (_name, content, order, sign) => {
      for (const chunkBytes of [undefined, 5]) {
        expect(await read('utf16.csv', content, ['id', 'name'], chunkBytes)).toEqual({
          rows: [],
          problems: [
            {
              file: 'utf16.csv',
              line: 1,
              column: '',
              reason: `is UTF-16${order} text, not UTF-8 (${sign}); ${saveAsUtf8}, or convert it with iconv -f UTF-16${order} -t UTF-8`,
            },
          ],
        });
      }
    });

    test('UTF-16 lines after UTF-8 ones are named on the first of them, after the rows before it', async () => {
      const head = Buffer.from('id,name\nP1,Ana\n');
      const tail = Buffer.from('P2,Bob\nP3,Li\n', 'utf16le');
      const withBom = await read('joined-bom.csv', Buffer.concat([head, Buffer.from([0xff, 0xfe]), tail]));
      const withoutBom = await read('joined.csv', Buffer.concat([head, tail]));
      expect([withBom, withoutBom]).toEqual(
        ['the line begins with the byte-order mark FF FE', 'NUL bytes between its letters'].map(
          (sign, i) => ({
            rows: [{ line: 2, row: { id: 'P1', name: 'Ana' } }],
            problems: [
              {
                file: i === 0 ? 'joined-bom.csv' : 'joined.csv',
                line: 3,
                column: '',
                reason: `has UTF-16 text from this line on (${sign}), after lines of UTF-8: save the whole file as UTF-8`,
              },
            ],
          }),
        ),
      );
    });
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

  test('a header with a broken quote is malformed CSV on line 1, not an empty file', async () => {
    expect((await read('hq1.csv', '"id"x,name\nP1,a\nP2,b\n')).problems).toEqual([
      {
        file: 'hq1.csv',
        line: 1,
        column: '',
        reason:
          'malformed CSV: text follows a closing quote before the next comma (write "" for a quote inside a quoted value)',
      },
    ]);
    // Never closed, after two empty lines: the header is on line 3.
    expect(await read('hq2.csv', '\n\nid,"name\nP1,a\n')).toEqual({
      rows: [],
      problems: [
        {
          file: 'hq2.csv',
          line: 3,
          column: '',
          reason: 'malformed CSV: a quote opened on this line is never closed',
        },
      ],
    });
    // A quote closed further down does not make a later line the header.
    expect(await read('hq3.csv', '"id"x,name\nP1,"a"\nP2,b\n')).toEqual({
      rows: [],
      problems: [expect.objectContaining({ file: 'hq3.csv', line: 1 })],
    });
  });

  test('a bad row spanning lines is reported on its first line, CRLF or LF', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['id,name', 'P1,"a', 'b"', 'P2,"c', 'd', 'e",x', 'P3,f', ''].join(eol);
      const { rows, problems } = await read('span.csv', text);
      expect(rows).toEqual([{ line: 2, row: { id: 'P1', name: `a${eol}b` } }]);
      expect(problems).toEqual([
        {
          file: 'span.csv',
          line: 4,
          column: '',
          reason: 'malformed CSV: the row has 3 fields but the header has 2',
        },
      ]);
    }
    // A quote inside a value, after CRLFs inside quotes in the row and the row before it.
    const crlf = 'id,name,age\r\nP1,"a\r\nb",1\r\nP2,"c\r\nd\r\ne",3"x\r\n';
    expect((await read('inner-crlf.csv', crlf, ['id', 'name', 'age'])).problems).toEqual([
      expect.objectContaining({ line: 4, column: 'age' }),
    ]);
  });

  test('a carriage return alone inside quotes is part of the value, not a line break', async () => {
    const text = 'id,name\nP1,"A\rB"\nP2,x\nP3,"y\r\nz"\nP4,w\n';
    expect(await read('cr.csv', text)).toEqual({
      rows: [
        { line: 2, row: { id: 'P1', name: 'A\rB' } },
        { line: 3, row: { id: 'P2', name: 'x' } },
        { line: 4, row: { id: 'P3', name: 'y\r\nz' } },
        { line: 6, row: { id: 'P4', name: 'w' } },
      ],
      problems: [],
    });
  });

  test('header problems name the header line after empty lines before it', async () => {
    expect((await read('lead1.csv', '\n\r\nid,notes\nP1,x\n', ['id', 'name'])).problems).toEqual([
      {
        file: 'lead1.csv',
        line: 3,
        column: '',
        reason: 'header is missing column "name" (found: id, notes)',
      },
    ]);
    expect((await read('lead2.csv', '\n\nid,name,ID\nP1,a,b\n')).problems).toEqual([
      { file: 'lead2.csv', line: 3, column: 'id', reason: 'appears more than once in the header' },
    ]);
    expect((await read('lead3.csv', '\n\nid,name\n\nP1,a\n')).rows).toEqual([
      { line: 5, row: { id: 'P1', name: 'a' } },
    ]);
  });

  test('line breaks in an unknown column named twice still count', async () => {
    const text = 'id,note,name,note\nP1,"a\nb",Ana,"c\nd"\nP2,x,Bo,y\n';
    const { rows, problems } = await read('notes2.csv', text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.row.id])).toEqual([
      [2, 'P1'],
      [5, 'P2'],
    ]);
  });

  test('a file whose lines end in CR alone is refused on line 1 without reading it as one header', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `P${i},name ${i}`);
    const text = ['id,name', ...rows, ''].join('\r');
    const file = path.join(dir, 'mac.csv');
    writeFileSync(file, text);
    const problems: FieldProblem[] = [];
    let bytesRead = 0;
    for await (const _ of readCsvRows(file, {
      columns: ['id', 'name'],
      onProblem: (p) => problems.push(p),
      onBytes: (n) => (bytesRead = n),
      chunkBytes: 1024,
    })) {
      // no rows are expected
    }
    expect(problems).toEqual([
      {
        file: 'mac.csv',
        line: 1,
        column: '',
        reason:
          'lines end in a carriage return alone (CR, as Excel\'s "CSV (Macintosh)" and classic Mac OS save them); ' +
          'save the file with LF or CRLF line endings, e.g. as "CSV UTF-8"',
      },
    ]);
    // It stopped at the start of the file (the stream reads a few chunks ahead).
    expect(bytesRead).toBeLessThan(text.length / 4);
    // A CR at the very end of a one-line file, or before a CRLF, is not a line ending of its own.
    expect((await read('cr-end.csv', 'id,name\r')).problems).toEqual([]);
    expect((await read('cr-crlf.csv', 'id,name\r\r\nP1,a\r\n')).rows).toEqual([
      { line: 2, row: { id: 'P1', name: 'a' } },
    ]);
  });

  describe('a line ending in a carriage return alone, after lines that end in LF or CRLF', () => {
    const MIXED =
      'the line ends in a carriage return alone (CR), unlike the lines before it (the file mixes line endings); ' +
      'save the file with LF or CRLF line endings throughout';
    const rowsBefore = [
      { line: 2, row: { id: 'P1', name: 'a' } },
      { line: 3, row: { id: 'P2', name: 'b' } },
      { line: 4, row: { id: 'P3', name: 'c' } },
    ];

    test.each([
      // Read as a row with too many fields before.
      ['an LF file', 'id,name\nP1,a\nP2,b\nP3,c\nP4,d\rP5,e\nP6,f\n'],
      ['a CRLF file', 'id,name\r\nP1,a\r\nP2,b\r\nP3,c\r\nP4,d\rP5,e\r\nP6,f\r\n'],
      // Read as one row with the id "P4\rP5" before.
      [
        'a file whose row then has as many fields as the header',
        'id,name\nP1,a\nP2,b\nP3,c\nP4\rP5,e\nP6,f\n',
      ],
      // Read as text after a closing quote before.
      ['a file whose line ends in a quoted value', 'id,name\nP1,a\nP2,b\nP3,c\nP4,"d"\rP5,e\n'],
    ])('in %s is refused on its line, after the rows before it', async (_, text) => {
      expect(await read('mixed.csv', text)).toEqual({
        rows: rowsBefore,
        problems: [{ file: 'mixed.csv', line: 5, column: '', reason: MIXED }],
      });
    });

    test('on a later line of a row that spans lines is refused on that line', async () => {
      const text = 'id,name\nP1,a\nP2,"b\nc"\rP3,d\nP4,e\n';
      expect(await read('span-cr.csv', text)).toEqual({
        rows: [{ line: 2, row: { id: 'P1', name: 'a' } }],
        problems: [{ file: 'span-cr.csv', line: 4, column: '', reason: MIXED }],
      });
    });

    test('is found wherever the chunks split, and a CR inside quotes is not one', async () => {
      const mixed = 'id,name\r\nP1,"x\ry"\r\nP2,"""q""\rr"\nP3,c\r\nP4,d\rP5,e\r\n';
      const quoted = 'id,name\r\nP1,"x\ry"\r\nP2,"""q""\rr"\nP3,c\r\n"P4\rP5",e\r\n';
      for (let chunkBytes = 1; chunkBytes <= 12; chunkBytes++) {
        expect(await read('split-cr.csv', mixed, ['id', 'name'], chunkBytes)).toEqual({
          rows: [
            { line: 2, row: { id: 'P1', name: 'x\ry' } },
            { line: 3, row: { id: 'P2', name: '"q"\rr' } },
            { line: 4, row: { id: 'P3', name: 'c' } },
          ],
          problems: [{ file: 'split-cr.csv', line: 5, column: '', reason: MIXED }],
        });
        expect(await read('split-quoted.csv', quoted, ['id', 'name'], chunkBytes)).toEqual({
          rows: [
            { line: 2, row: { id: 'P1', name: 'x\ry' } },
            { line: 3, row: { id: 'P2', name: '"q"\rr' } },
            { line: 4, row: { id: 'P3', name: 'c' } },
            { line: 5, row: { id: 'P4\rP5', name: 'e' } },
          ],
          problems: [],
        });
      }
    });

    test('inside a quoted header name is part of the name, as in a row', async () => {
      expect(await read('header-cr.csv', 'id,name,"note\rx"\nP1,a,b\n')).toEqual({
        rows: [{ line: 2, row: { id: 'P1', name: 'a', 'note\rx': 'b' } }],
        problems: [],
      });
    });

    test('stops reading the file there', async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => `P${i},name ${i}`);
      const text = ['id,name', 'P,a\rP,b', ...rows, ''].join('\n');
      const file = path.join(dir, 'stray.csv');
      writeFileSync(file, text);
      const problems: FieldProblem[] = [];
      let bytesRead = 0;
      for await (const _ of readCsvRows(file, {
        columns: ['id', 'name'],
        onProblem: (p) => problems.push(p),
        onBytes: (n) => (bytesRead = n),
        chunkBytes: 1024,
      })) {
        // no rows are expected
      }
      expect(problems).toEqual([{ file: 'stray.csv', line: 2, column: '', reason: MIXED }]);
      expect(bytesRead).toBeLessThan(text.length / 4);
    });

    test('comes after a problem on an earlier line, which is the one reported', async () => {
      expect((await read('quote-first.csv', 'id,name\nP1,"a"x\nP2,b\rP3,c\n')).problems).toEqual([
        expect.objectContaining({ line: 2, column: 'name', reason: expect.stringMatching(/closing quote/) }),
      ]);
      const latin1 = Buffer.from('id,name\nP1,\xe9\nP2,b\rP3,c\n', 'latin1');
      expect((await read('latin1-first.csv', latin1)).problems).toEqual([
        expect.objectContaining({ line: 2, reason: expect.stringMatching(/^is not UTF-8 text/) }),
      ]);
      expect((await read('header-first.csv', 'id,notes\nP1,a\nP2,b\rP3,c\n')).problems).toEqual([
        expect.objectContaining({
          line: 1,
          reason: expect.stringMatching(/^header is missing column "name"/),
        }),
      ]);
    });

    test('LF and CRLF lines mixed are read, and so is a CR before a CRLF or at the end', async () => {
      const text = 'id,name\nP1,a\r\nP2,b\nP3,c\r\r\nP4,d\r';
      expect(await read('lf-crlf.csv', text)).toEqual({
        rows: [
          { line: 2, row: { id: 'P1', name: 'a' } },
          { line: 3, row: { id: 'P2', name: 'b' } },
          // A value's trailing CR is trimmed where it is read (src/domain/records.ts).
          { line: 4, row: { id: 'P3', name: 'c\r' } },
          { line: 5, row: { id: 'P4', name: 'd\r' } },
        ],
        problems: [],
      });
    });
  });

  describe('a first line ending in a carriage return alone', () => {
    const WHOLE_FILE =
      'lines end in a carriage return alone (CR, as Excel\'s "CSV (Macintosh)" and classic Mac OS save them); ' +
      'save the file with LF or CRLF line endings, e.g. as "CSV UTF-8"';
    const FIRST_LINE =
      'the line ends in a carriage return alone (CR), unlike the lines after it (the file mixes line endings); ' +
      'save the file with LF or CRLF line endings throughout';

    test.each([
      ['LF', 'id,name\rP1,a\nP2,b\n'],
      ['CRLF', 'id,name\rP1,a\r\nP2,b\r\n'],
      ['CR alone, then LF', 'id,name\rP1,a\rP2,"b\rc"\nP3,d\n'],
    ])(
      'before lines that end in %s is refused as that line, not as the whole file, wherever the chunks split',
      async (_, text) => {
        for (const chunkBytes of [undefined, 1, 2, 3, 5, 8, 13]) {
          expect(await read('first-cr.csv', text, ['id', 'name'], chunkBytes)).toEqual({
            rows: [],
            problems: [{ file: 'first-cr.csv', line: 1, column: '', reason: FIRST_LINE }],
          });
        }
      },
    );

    test('in a file whose lines all end in CR alone, a line feed inside quotes included, is the whole file', async () => {
      for (const chunkBytes of [undefined, 1, 4, 7]) {
        expect(
          await read('mac-quoted.csv', 'id,name\rP1,"a\nb"\rP2,c\r', ['id', 'name'], chunkBytes),
        ).toEqual({
          rows: [],
          problems: [{ file: 'mac-quoted.csv', line: 1, column: '', reason: WHOLE_FILE }],
        });
      }
      // The only line ending of the file.
      expect((await read('mac-two.csv', 'id,name\rP1,a')).problems).toEqual([
        expect.objectContaining({ line: 1, reason: WHOLE_FILE }),
      ]);
    });

    test('after empty lines that end in LF is refused on its line as unlike the lines before it', async () => {
      expect((await read('lead-cr.csv', '\n\nid,name\rP1,a\rP2,b\r')).problems).toEqual([
        {
          file: 'lead-cr.csv',
          line: 3,
          column: '',
          reason:
            'the line ends in a carriage return alone (CR), unlike the lines before it (the file mixes line endings); ' +
            'save the file with LF or CRLF line endings throughout',
        },
      ]);
    });
  });

  test('a header missing columns lists at most a dozen of the names it has, each cut short', async () => {
    const names = Array.from({ length: 500 }, (_, i) => `column_${i}_${'x'.repeat(100)}`);
    const [problem] = (await read('wide.csv', `${names.join(',')}\n`, ['id'])).problems;
    expect(problem!.line).toBe(1);
    expect(problem!.reason).toMatch(/^header is missing column "id" \(found: column_0_x{31}…, /);
    expect(problem!.reason).toMatch(/, … 488 more\)$/);
    expect(problem!.reason.length).toBeLessThan(700);
  });

  test('a line of many megabytes is read in time linear in its length', async () => {
    // Every chunk of a line that has no newline yet used to be joined to all of the line before it.
    const value = 'x'.repeat(4 * 1024 * 1024);
    const concat = jest.spyOn(Buffer, 'concat');
    try {
      const { rows, problems } = await read('long.csv', `id,name\nP1,${value}\nP2,b\n`, ['id', 'name'], 4096);
      expect(problems).toEqual([]);
      expect(rows.map((r) => [r.line, r.row.name!.length])).toEqual([
        [2, value.length],
        [3, 1],
      ]);
      const copied = concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
      expect(copied).toBeLessThan(2 * value.length);
    } finally {
      concat.mockRestore();
    }
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
