/** Logical table name used by the local runtime and tests; the deployed name comes from the stack. */
export const LOCAL_TABLE_NAME = 'astral-local';
