/** A small bundle written by hand: every file, every stay type, a date-only instant, empty fields. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HAND_BUNDLE: Record<string, string> = {
  'places.csv': `id,name,kind,lat,lon,capacity
H1,Home 1,home,18.300000,109.100000,
MK,Market,Market,18.310000,109.120000,
FP,Port,fishing_port,,,
QS,Hotel,quarantine_site,18.400000,109.200000,20
`,
  'persons.csv': `id,name,sex,age,phone,id_number,home_id,occupation
P1,王伟,M,34,13800000001,460200198801010011,H1,fisher
P2,"Li, Na",F,,,,H1,
P3,,,,,,,
`,
  'boats.csv': `id,name,registration,home_port_id
B1,Boat 1,REG1,FP
`,
  'items.csv': `id,product,lot,origin,arrived_at
L1,squid,LOT1,Indonesia,2022-07-25
L2,shrimp,,,2022-07-26T10:00:00+08:00
`,
  'stays.csv': `subject_id,host_id,start,end
P1,MK,2022-08-01T09:00:00+08:00,2022-08-01T10:00:00+08:00
P1,B1,2022-08-02T04:00:00+08:00,2022-08-02T16:00:00+08:00
L1,FP,2022-07-25T00:00:00+08:00,2022-07-26T00:00:00+08:00
L1,B1,2022-07-24T00:00:00+08:00,2022-07-25T00:00:00+08:00
B1,FP,2022-08-02T16:00:00+08:00,2022-08-03T04:00:00+08:00
P2,MK,2022-08-01T09:30:00+08:00,2022-08-01T11:00:00+08:00
`,
  'contacts.csv': `person_a,person_b,start,end,setting
P1,P2,2022-08-01T19:00:00+08:00,2022-08-01T21:00:00+08:00,household
`,
  'handlings.csv': `person_id,item_id,at
P1,L1,2022-07-25T08:00:00+08:00
`,
  'samples.csv': `subject_id,sampled_at,result,method,ct
P1,2022-08-03T08:00:00+08:00,positive,pcr,24.5
P2,2022-08-03T08:05:00+08:00,negative,antigen,
L1,2022-08-04T10:00:00+08:00,positive,pcr,31
MK,2022-08-04T11:00:00+08:00,negative,pcr,
`,
  'cases.csv': `person_id,classification,onset,confirmed_at
P1,confirmed,2022-08-01,2022-08-03T20:00:00+08:00
P3,asymptomatic,,2022-08-05T09:00:00+08:00
`,
};

/** Rows over all files of HAND_BUNDLE. */
export const HAND_BUNDLE_ROWS = 3 + 4 + 1 + 2 + 6 + 1 + 1 + 4 + 2;

export function writeHandBundle(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracegraph-bench-bundle-'));
  for (const [file, text] of Object.entries(HAND_BUNDLE)) writeFileSync(path.join(dir, file), text);
  return dir;
}
