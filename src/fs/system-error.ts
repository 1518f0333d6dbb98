/** Wording of the system's file errors for messages that name the user's file themselves. */

/**
 * A system error's reason without the paths it names (`EISDIR: illegal operation on a directory`
 * rather than `…, rename '/x/out.json.123.partial' -> '/x/out.json'`): the message names the
 * user's file itself, not a temporary one.
 */
export function reasonOf(err: Error): string {
  const { syscall } = err as NodeJS.ErrnoException;
  if (!syscall) return err.message;
  const at = err.message.lastIndexOf(`, ${syscall}`);
  return at > 0 ? err.message.slice(0, at) : err.message;
}
