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
