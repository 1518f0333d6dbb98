/**
 * Personal details in the style of Yazhou's residents: Chinese names (surnames common in
 * southern Hainan), mobile numbers, and 18-character resident identity numbers (GB 11643-1999)
 * with Yazhou's region code 460204 and a valid ISO 7064 MOD 11-2 check character.
 */
import type { Random } from './random';

// Surnames of southern Hainan, the most frequent first (陈, 林, 黄, 王, 符, 李, 吴 lead there).
const SURNAMES = [
  '陈',
  '林',
  '黄',
  '王',
  '符',
  '李',
  '吴',
  '邢',
  '郑',
  '周',
  '张',
  '蔡',
  '羊',
  '麦',
  '孙',
  '高',
  '何',
  '杨',
  '冯',
  '刘',
  '梁',
  '潘',
  '云',
  '莫',
  '许',
  '谢',
  '卢',
  '曾',
  '唐',
  '邓',
  '文',
  '韩',
];
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 3));

const MALE_CHARACTERS = [
  '海',
  '明',
  '文',
  '国',
  '志',
  '伟',
  '强',
  '军',
  '平',
  '华',
  '建',
  '永',
  '成',
  '德',
  '福',
  '生',
  '荣',
  '光',
  '东',
  '庆',
  '春',
  '家',
  '俊',
  '鹏',
  '浩',
  '宇',
  '杰',
  '涛',
  '斌',
  '辉',
  '亮',
  '波',
];
const FEMALE_CHARACTERS = [
  '秀',
  '丽',
  '芳',
  '美',
  '玉',
  '英',
  '兰',
  '梅',
  '霞',
  '燕',
  '红',
  '华',
  '琴',
  '花',
  '婷',
  '娟',
  '敏',
  '静',
  '雪',
  '慧',
  '妹',
  '月',
  '珍',
  '凤',
  '琳',
  '萍',
  '颖',
  '晶',
  '蓉',
  '欣',
  '怡',
  '娜',
];

export function personName(rng: Random, male: boolean): string {
  const characters = male ? MALE_CHARACTERS : FEMALE_CHARACTERS;
  const surname = SURNAMES[rng.weighted(SURNAME_WEIGHTS)]!;
  const given = rng.chance(0.75) ? rng.pick(characters) + rng.pick(characters) : rng.pick(characters);
  return surname + given;
}

const MOBILE_PREFIXES = ['13', '15', '18'];

/**
 * An 11-digit mobile number unique to `index`: a random operator prefix and third digit, then
 * the index scrambled by an odd multiplier modulo 10^8 (a bijection, so no two persons share one).
 */
export function mobileNumber(rng: Random, index: number): string {
  const scrambled = (index * 48_271 + 12_345_679) % 100_000_000;
  return `${rng.pick(MOBILE_PREFIXES)}${rng.int(0, 9)}${String(scrambled).padStart(8, '0')}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of an identity number. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export const YAZHOU_REGION_CODE = '460204';

/**
 * Identity numbers: region, birth date, a sequence (odd for men, even for women) kept unique per
 * birth date and sex, and the check character.
 */
export class IdentityNumbers {
  private readonly issued = new Map<string, number>();

  next(birthDate: string /* YYYYMMDD */, male: boolean): string {
    const key = birthDate + (male ? 'M' : 'F');
    const count = this.issued.get(key) ?? 0;
    this.issued.set(key, count + 1);
    const sequence = ((count % 499) * 2 + (male ? 1 : 2)) % 1000;
    const first17 = YAZHOU_REGION_CODE + birthDate + String(sequence).padStart(3, '0');
    return first17 + idCheckCharacter(first17);
  }
}

/** A birth date (YYYYMMDD) for someone `age` whole years old on `reference` (epoch ms, UTC day). */
export function birthDate(rng: Random, age: number, reference: Date): string {
  const y = reference.getUTCFullYear();
  const latest = Date.UTC(y - age, reference.getUTCMonth(), reference.getUTCDate());
  const earliest = Date.UTC(y - age - 1, reference.getUTCMonth(), reference.getUTCDate()) + 86_400_000;
  const days = Math.round((latest - earliest) / 86_400_000);
  const born = new Date(earliest + rng.int(0, days) * 86_400_000);
  return (
    String(born.getUTCFullYear()) +
    String(born.getUTCMonth() + 1).padStart(2, '0') +
    String(born.getUTCDate()).padStart(2, '0')
  );
}
