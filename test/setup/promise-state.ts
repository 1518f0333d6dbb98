/** For tests of waiting: whether a promise is still pending after a while. */

/** 'settled' if the promise settles within `ms`, else 'waiting'. */
export async function stateAfter(promise: Promise<unknown>, ms: number): Promise<'settled' | 'waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), ms)));
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  try {
    return await Promise.race([settled, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a promise is still pending once `seen()` holds, checked every 50 ms for up to `ms`: for a
 * wait that must say so first (a notice pushed to a list), however slow the machine is to get there.
 * 'settled' if it settles first; 'not seen' if neither happens in time.
 */
export async function stateWhen(
  promise: Promise<unknown>,
  seen: () => boolean,
  ms: number,
): Promise<'settled' | 'waiting' | 'not seen'> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const until = Date.now() + ms;
  for (;;) {
    // Let a promise that has already settled say so before `seen` is asked.
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) return 'settled';
    if (seen()) return 'waiting';
    if (Date.now() >= until) return 'not seen';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
