import { openEmbeddedStore } from '../../src/store/embedded';
import { removeTemp, tempDir } from '../import/temp-bundle';
import { describeExport } from './export-suite';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach(removeTemp));

describeExport('embedded', () => {
  const dir = tempDir('tracegraph-data-');
  dataDirs.push(dir);
  return openEmbeddedStore(dir);
});
