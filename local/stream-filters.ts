import { STREAM_FILTERS } from '../lib/repositories/table-design';
import type { FilterPattern } from './event-filter';

/** The filters the stack deploys per stream consumer (one definition in lib/repositories/table-design.ts). */
export const STACK_STREAM_FILTERS: Readonly<Record<string, readonly FilterPattern[]>> = STREAM_FILTERS;
