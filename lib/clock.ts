/** ISO 8601 UTC to the second, the documents' format ("2025-04-23T10:00:00Z"). */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
