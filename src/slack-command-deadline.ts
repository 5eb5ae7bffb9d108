/**
 * Slack wants a slash command acknowledged within 3 seconds. A command that answers in time is
 * answered inline; one that takes longer (a first-use `users.info` lookup, a slow query) is
 * acknowledged with "Working on it…" and its answer is posted to the command's `response_url`
 * when it is ready. Either way the command runs once.
 */
export const SLACK_COMMAND_DEADLINE_MS = 2_500;

export async function answerWithinDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  late: (result: Promise<T>) => void,
): Promise<{ onTime: true; value: T } | { onTime: false }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), deadline]);
    if (first === 'late') {
      late(work);
      return { onTime: false };
    }
    return { onTime: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
}
