/** Every command of `tracegraph`, one per file, in the order `--help` lists them. */
import type { CommandFactory } from '../context';
import { exportCommand } from './export';
import { importCommand } from './import';
import { reportCommand } from './report';
import { restoreBundleCommand } from './restore-bundle';
import { seedCommand } from './seed';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { statsCommand } from './stats';

export const COMMANDS: readonly CommandFactory[] = [
  startCommand,
  importCommand,
  exportCommand,
  statsCommand,
  reportCommand,
  serveCommand,
  seedCommand,
  restoreBundleCommand,
];
