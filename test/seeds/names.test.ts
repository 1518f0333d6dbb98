import {
  IdentityNumbers,
  birthDate,
  idCheckCharacter,
  mobileNumber,
  personName,
} from '../../seeds/generator/names';
import { Random } from '../../seeds/generator/random';

describe('identity numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the standard examples', () => {
    // GB 11643-1999's own examples.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('44052418800101001')).toBe('4');
  });

  it('issues Yazhou numbers, odd sequence for men and even for women, unique per birth date', () => {
    const ids = new IdentityNumbers();
    const a = ids.next('19800101', true);
    const b = ids.next('19800101', true);
    const c = ids.next('19800101', false);
    expect(a.slice(0, 17)).toBe('46020419800101001');
    expect(b.slice(0, 17)).toBe('46020419800101003');
    expect(c.slice(0, 17)).toBe('46020419800101002');
    for (const id of [a, b, c]) expect(id[17]).toBe(idCheckCharacter(id.slice(0, 17)));
  });

  it('draws a birth date that gives the age on the reference day (30 on 2022-07-25: born 1991-07-26 to 1992-07-25)', () => {
    const rng = new Random('t', 'birth');
    const reference = new Date(Date.UTC(2022, 6, 25));
    for (let i = 0; i < 200; i++) {
      const born = birthDate(rng, 30, reference);
      expect(born >= '19910726' && born <= '19920725').toBe(true);
    }
  });
});

describe('mobile numbers and names', () => {
  it('gives every index its own 11-digit number starting 13, 15 or 18', () => {
    const rng = new Random('t', 'phones');
    const numbers = Array.from({ length: 20_000 }, (_, i) => mobileNumber(rng, i));
    expect(new Set(numbers.map((n) => n.slice(3))).size).toBe(20_000);
    for (const n of numbers.slice(0, 500)) expect(n).toMatch(/^1[358]\d{9}$/);
  });

  it('gives two- or three-character Chinese names', () => {
    const rng = new Random('t', 'names');
    for (let i = 0; i < 200; i++) expect(personName(rng, i % 2 === 0)).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
  });
});
