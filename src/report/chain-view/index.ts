/** The interactive chain view (served at `/chains`): its page, its bundled script and its data. */
export { chainViewAsset, type ChainViewAsset } from './assets';
export { chainViewData, type ChainViewData, type ChainViewEdge, type ChainViewNode } from './data';
export { chainViewPage } from './page';
