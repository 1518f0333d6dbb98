import { openEmbeddedStore } from '../../src/store/embedded';
import { removeTemp, tempDir } from '../import/temp-bundle';
import { describeFirstPositiveWarnings } from './first-positive-warnings-suite';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach(removeTemp));

describeFirstPositiveWarnings('embedded', () => {
  const dir = tempDir('tracegraph-api-');
  dataDirs.push(dir);
  return openEmbeddedStore(dir);
});
