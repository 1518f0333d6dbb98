/**
 * Words for a store holding part of an import that did not finish (`TraceStore.unfinishedImports`):
 * what the command line prints before its output and the API server logs as it starts.
 */
import { formatUtcSecond } from '../domain/time';
import type { UnfinishedImport } from './port';

/** Characters a shell takes as they are in a word. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** `dir` as a shell word: quoted when it has a space, a quote or another special character. */
function shellWord(dir: string): string {
  return PLAIN_WORD.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`;
}

/**
 * `bolt://…/neo4j holds part of an import of DIR (started 2022-08-05T01:02:03Z by pid 4711 on
 * host) that did not finish; …`: what is missing, the command that completes it, and the one that
 * stops the warning where the folder is gone.
 */
export function describeUnfinishedImport(location: string, unfinished: UnfinishedImport): string {
  const started = formatUtcSecond(unfinished.startedAt);
  const dir = shellWord(unfinished.bundle);
  return (
    `${location} holds part of an import of ${unfinished.bundle} (started ${started} by pid ` +
    `${unfinished.pid} on ${unfinished.host}) that did not finish; its data are incomplete until ` +
    `\`tracegraph import ${dir}\` is run again (should that folder be gone, ` +
    `\`tracegraph import --forget-unfinished ${dir}\` ends this warning; the rest of its bundle stays missing)`
  );
}
