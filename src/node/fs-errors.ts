/**
 * Short, readable reasons for file-system errors, so the Node helpers word them alike.
 *
 * @module
 * @internal
 */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
};

/** A short reason for a file-system error (`'no such file'` for ENOENT), for messages. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_REASONS[code]) return FS_REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
