import { openEmbeddedStore } from '../../src/store/embedded';
import { describeImport } from './import-suite';
import { removeTemp, tempDir } from './temp-bundle';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach(removeTemp));

describeImport('embedded', () => {
  const dir = tempDir('tracegraph-data-');
  dataDirs.push(dir);
  return openEmbeddedStore(dir);
});
