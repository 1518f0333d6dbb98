/** Every command of `tracegraph`, one per file, in the order `--help` lists them. */
import type { CommandFactory } from '../context';
import { exportCommand } from './export';
import { importCommand } from './import';
import { statsCommand } from './stats';

export const COMMANDS: readonly CommandFactory[] = [importCommand, exportCommand, statsCommand];
